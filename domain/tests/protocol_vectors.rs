//! The worked test vectors printed in `docs/protocol.md`. If one of these
//! changes, the document (and every independent verifier) is wrong: update
//! both together, and only with a new format version.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

use domain::checkpoint::Checkpoint;
use domain::council::LogOrigin;
use domain::hex;
use domain::merkle;
use domain::note::{NoteSigner, NoteVerifier};
use domain::statement::{
    CaseId, MemberId, MotionId, SignedStatement, Statement, StatementKind, Subject,
};
use ed25519_dalek::SigningKey;

const ORIGIN: &str = "tribune.example/harbour";
const MEMBER_PUBLIC_KEY: &str = "2152f8d19b791d24453242e15f2eab6cb7cffa7b6a5ed30097960e069881db12";
const VOTE_SIGNED_BYTES: &str = "74726962756e652d73746174656d656e742f763120766f74650a6f726967696e2074726962756e652e6578616d706c652f686172626f75720a636173652031320a6d6f74696f6e20330a6d656d62657220370a0a7b2263686f696365223a22737570706f7274222c22726561736f6e223a225361746972652c206e6f742061207468726561742e227d";
const VOTE_SIGNATURE: &str = "61614e2f29dba0aac023c7ecc4e32cfcf9b6d9feb9d038abb2c3075f811826f7dfe1cd7d01d7b6da2edb488c96186b15f68eaed3f77eaa7ba5f26d3c088fe207";
const VOTE_ENTRY: &str = r#"{"body":{"choice":"support","reason":"Satire, not a threat."},"format":"tribune-statement/v1","kind":"vote","origin":"tribune.example/harbour","signature":"61614e2f29dba0aac023c7ecc4e32cfcf9b6d9feb9d038abb2c3075f811826f7dfe1cd7d01d7b6da2edb488c96186b15f68eaed3f77eaa7ba5f26d3c088fe207","signer":"2152f8d19b791d24453242e15f2eab6cb7cffa7b6a5ed30097960e069881db12","subject":{"case":12,"member":7,"motion":3}}"#;
const VOTE_LEAF_HASH: &str = "bfcc6c871b252a75516a986c5502542a2c578ce2ab75eed2c90a78c02485bcfb";
const LOG_VKEY: &str =
    "tribune.example/harbour+52cca07c+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c";
const CHECKPOINT: &str = "tribune.example/harbour\n5\nuFW0LWww9bCH4FJmeD+9bjlPe5JgE8yqZ3AKiwxaWW8=\n\n\u{2014} tribune.example/harbour UsygfO+iAC4Aeg+u1kP3qNn7qLTYSrB09dTX5CwQqs3bMc451KqvshzVoShYc0b61S7bu1CDdLc8tlICyAjiDZQ3Gww=\n";

fn origin() -> LogOrigin {
    LogOrigin::parse(ORIGIN).unwrap()
}

fn h(text: &str) -> merkle::MerkleHash {
    merkle::MerkleHash::from_hex(text).unwrap()
}

#[test]
fn the_vote_vector() {
    let member = SigningKey::from_bytes(&[0x42; 32]);
    assert_eq!(
        hex::encode(member.verifying_key().as_bytes()),
        MEMBER_PUBLIC_KEY
    );
    let vote = Statement {
        kind: StatementKind::Vote,
        origin: origin(),
        subject: Subject {
            case: Some(CaseId(12)),
            motion: Some(MotionId(3)),
            member: Some(MemberId(7)),
            ..Subject::default()
        },
        body: serde_json::json!({"choice": "support", "reason": "Satire, not a threat."}),
    };
    assert_eq!(
        hex::encode(&vote.signed_bytes().unwrap()),
        VOTE_SIGNED_BYTES
    );
    let signed = vote.sign(&member).unwrap();
    assert_eq!(hex::encode(&signed.signature), VOTE_SIGNATURE);
    assert_eq!(signed.to_entry().unwrap(), VOTE_ENTRY.as_bytes());
    assert_eq!(
        merkle::leaf_hash(VOTE_ENTRY.as_bytes()).to_hex(),
        VOTE_LEAF_HASH
    );
    SignedStatement::from_entry(VOTE_ENTRY.as_bytes())
        .unwrap()
        .verify(&origin())
        .unwrap();
}

#[test]
fn the_tree_vector() {
    let leaves: Vec<_> = (0u8..5).map(|i| merkle::leaf_hash(&[i])).collect();
    let expected_leaves = [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "b413f47d13ee2fe6c845b2ee141af81de858df4ec549a58b7970bb96645bc8d2",
        "fcf0a6c700dd13e274b6fba8deea8dd9b26e4eedde3495717cac8408c9c5177f",
        "583c7dfb7b3055d99465544032a571e10a134b1b6f769422bbb71fd7fa167a5d",
        "4f35212d12f9ad2036492c95f1fe79baf4ec7bd9bef3dffa7579f2293ff546a4",
    ];
    for (leaf, expected) in leaves.iter().zip(expected_leaves) {
        assert_eq!(leaf.to_hex(), expected);
    }
    let root5 = h("b855b42d6c30f5b087e05266783fbd6e394f7b926013ccaa67700a8b0c5a596f");
    let root3 = h("3b6cccd7e3e023ff393006f030315ee7ad9eb111b022b41fba7e5b7a3973f688");
    assert_eq!(merkle::root(&leaves), root5);
    assert_eq!(merkle::root(&leaves[..3]), root3);

    let inclusion = [
        h("583c7dfb7b3055d99465544032a571e10a134b1b6f769422bbb71fd7fa167a5d"),
        h("a20bf9a7cc2dc8a08f5f415a71b19f6ac427bab54d24eec868b5d3103449953a"),
        h("4f35212d12f9ad2036492c95f1fe79baf4ec7bd9bef3dffa7579f2293ff546a4"),
    ];
    assert_eq!(merkle::inclusion_proof(&leaves, 2).unwrap(), inclusion);
    merkle::verify_inclusion(&leaves[2], 2, 5, &inclusion, &root5).unwrap();

    let consistency = [
        h("fcf0a6c700dd13e274b6fba8deea8dd9b26e4eedde3495717cac8408c9c5177f"),
        h("583c7dfb7b3055d99465544032a571e10a134b1b6f769422bbb71fd7fa167a5d"),
        h("a20bf9a7cc2dc8a08f5f415a71b19f6ac427bab54d24eec868b5d3103449953a"),
        h("4f35212d12f9ad2036492c95f1fe79baf4ec7bd9bef3dffa7579f2293ff546a4"),
    ];
    assert_eq!(merkle::consistency_proof(&leaves, 3).unwrap(), consistency);
    merkle::verify_consistency(3, 5, &root3, &root5, &consistency).unwrap();
}

#[test]
fn the_checkpoint_vector() {
    let log = NoteSigner::from_seed(ORIGIN, &[0x01; 32]).unwrap();
    assert_eq!(log.verifier().to_vkey(), LOG_VKEY);
    let verifier = NoteVerifier::from_vkey(LOG_VKEY).unwrap();
    let (checkpoint, _) = Checkpoint::open(CHECKPOINT.as_bytes(), &origin(), &verifier).unwrap();
    assert_eq!(checkpoint.size, 5);
    assert_eq!(
        checkpoint.root,
        h("b855b42d6c30f5b087e05266783fbd6e394f7b926013ccaa67700a8b0c5a596f")
    );
    assert_eq!(checkpoint.sign(&log).unwrap(), CHECKPOINT);
}
