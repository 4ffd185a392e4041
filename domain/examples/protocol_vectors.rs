//! Prints the worked test vectors of `docs/protocol.md`
//! (`cargo run -p domain --example protocol_vectors`). The same values are
//! asserted by `domain/tests/protocol_vectors.rs`.

use domain::checkpoint::Checkpoint;
use domain::council::LogOrigin;
use domain::merkle;
use domain::note::NoteSigner;
use domain::statement::{CaseId, MemberId, MotionId, Statement, StatementKind, Subject};
use ed25519_dalek::SigningKey;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let origin = LogOrigin::parse("tribune.example/harbour")?;

    let member = SigningKey::from_bytes(&[0x42; 32]);
    println!("member seed:       {}", domain::hex::encode(&[0x42; 32]));
    println!(
        "member public key: {}",
        domain::hex::encode(member.verifying_key().as_bytes())
    );

    let vote = Statement {
        kind: StatementKind::Vote,
        origin: origin.clone(),
        subject: Subject {
            case: Some(CaseId(12)),
            motion: Some(MotionId(3)),
            member: Some(MemberId(7)),
            ..Subject::default()
        },
        body: serde_json::json!({"choice": "support", "reason": "Satire, not a threat."}),
    };
    let bytes = vote.signed_bytes()?;
    println!("signed bytes (text):\n{}", String::from_utf8_lossy(&bytes));
    println!("signed bytes (hex): {}", domain::hex::encode(&bytes));
    let signed = vote.sign(&member)?;
    println!("signature: {}", domain::hex::encode(&signed.signature));
    let entry = signed.to_entry()?;
    println!("entry: {}", String::from_utf8_lossy(&entry));
    println!("entry leaf hash: {}", merkle::leaf_hash(&entry));

    let leaves: Vec<_> = (0u8..5).map(|i| merkle::leaf_hash(&[i])).collect();
    for (i, leaf) in leaves.iter().enumerate() {
        println!("leaf {i} = leaf_hash([{i:#04x}]) = {leaf}");
    }
    println!("root(5) = {}", merkle::root(&leaves));
    println!("root(3) = {}", merkle::root(&leaves[..3]));
    let proof = merkle::inclusion_proof(&leaves, 2)?;
    println!(
        "inclusion proof of leaf 2 in 5: {:?}",
        proof.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
    let proof = merkle::consistency_proof(&leaves, 3)?;
    println!(
        "consistency proof 3 -> 5: {:?}",
        proof.iter().map(ToString::to_string).collect::<Vec<_>>()
    );

    let log = NoteSigner::from_seed(origin.as_str(), &[0x01; 32])?;
    println!("log seed: {}", domain::hex::encode(&[0x01; 32]));
    println!("log vkey: {}", log.verifier().to_vkey());
    let checkpoint = Checkpoint {
        origin,
        size: 5,
        root: merkle::root(&leaves),
        extensions: vec![],
    };
    println!("checkpoint:\n{}", checkpoint.sign(&log)?);
    Ok(())
}
