//! The French of the server's messages and of the words that fill them:
//! data only, read through [`super::tables`] (compiled into the server; the
//! browser gets them as a script) and looked up by [`super::messages`].

#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
pub(super) const WORDS: &[(&str, &str)] = &[
    ("display name", "nom affiché"),
    ("name", "nom"),
    ("affiliation", "affiliation"),
    ("group name", "nom du groupe"),
    ("reason", "motif"),
    ("comment", "commentaire"),
    ("title", "titre"),
    ("clause title", "titre de la clause"),
    ("subject", "sujet"),
    ("summary", "résumé"),
    ("text", "texte"),
    ("motion text", "texte de la motion"),
    ("choice", "choix"),
    ("kind", "type"),
    ("status", "statut"),
    ("tier", "niveau"),
    ("clause", "clause"),
    ("outcome", "issue"),
    ("group", "groupe"),
    ("from", "début"),
    ("until", "fin"),
    ("nonce", "nonce"),
    ("public key", "clé publique"),
    ("signature", "signature"),
    ("token name", "nom du jeton"),
    ("received", "reçue"),
    ("triaged", "triée"),
    ("accepted", "acceptée"),
    ("deliberating", "en délibéré"),
    ("voting", "au vote"),
    ("decided", "tranchée"),
    ("published", "publiée"),
    ("declined", "refusée"),
    ("withdrawn", "retirée"),
    ("used", "utilisée"),
    ("revoked", "révoquée"),
    ("expired", "expirée"),
    ("open", "ouverte"),
];

/// English messages and their French, `{}` for the parts that vary.
#[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
pub(super) const MESSAGES: &[(&str, &str)] = &[
    // The fixed refusals of `AppError`.
    (
        "The council's records cannot be reached right now. Please try again in a moment.",
        "Les registres du conseil sont injoignables pour le moment. Veuillez réessayer dans un instant.",
    ),
    (
        "Something went wrong on our side. It has been logged.",
        "Une erreur s'est produite de notre côté. Elle a été consignée.",
    ),
    (
        "The log is too large to check in a browser: use `tribune verify`.",
        "Le journal est trop volumineux pour être vérifié dans un navigateur : utilisez `tribune verify`.",
    ),
    (
        "The request could not be completed: {}",
        "La requête n'a pas abouti : {}",
    ),
    (
        "The request's fields could not be read: {}",
        "Les champs de la requête sont illisibles : {}",
    ),
    ("Please sign in first.", "Veuillez d'abord vous connecter."),
    (
        "Your role does not allow this.",
        "Votre rôle ne le permet pas.",
    ),
    ("Not found.", "Introuvable."),
    (
        "The signature does not verify: nothing was changed.",
        "La signature n'est pas valide : rien n'a été modifié.",
    ),
    (
        "This sign-in attempt expired or was already used. Please try again.",
        "Cette tentative de connexion a expiré ou a déjà servi. Veuillez réessayer.",
    ),
    (
        "This key does not belong to any active member of this council.",
        "Cette clé n'appartient à aucun membre actif de ce conseil.",
    ),
    (
        "This invitation was already used.",
        "Cette invitation a déjà servi.",
    ),
    (
        "This invitation was revoked. Ask an admin for a new one.",
        "Cette invitation a été révoquée. Demandez-en une nouvelle à un administrateur.",
    ),
    (
        "This invitation has expired. Ask an admin for a new one.",
        "Cette invitation a expiré. Demandez-en une nouvelle à un administrateur.",
    ),
    (
        "This invitation is still open.",
        "Cette invitation est toujours ouverte.",
    ),
    (
        "The council has not been founded yet: run `tribune init`.",
        "Le conseil n'a pas encore été fondé : lancez `tribune init`.",
    ),
    ("The log is empty.", "Le journal est vide."),
    // Refusals by the log's rules (`error::refused`) that the storage never wrote.
    (
        "nothing was voted on this case: there is no decision to publish",
        "rien n'a été voté sur cette affaire : il n'y a pas de décision à publier",
    ),
    (
        "the decision on this case is already published",
        "la décision sur cette affaire est déjà publiée",
    ),
    (
        "the decision has no recommendation with this number",
        "la décision n'a pas de recommandation portant ce numéro",
    ),
    (
        "this is not one of the motion's choices",
        "ce n'est pas l'un des choix de la motion",
    ),
    (
        "the commitment is not a commitment to this vote",
        "l'engagement n'est pas un engagement envers ce vote",
    ),
    (
        "votes on an unsealed motion are logged directly",
        "les votes sur une motion non scellée sont journalisés directement",
    ),
    (
        "a vote on a sealed motion comes with its signed commitment",
        "un vote sur une motion scellée s'accompagne de son engagement signé",
    ),
    (
        "this motion belongs to another case",
        "cette motion appartient à une autre affaire",
    ),
    (
        "the reason is not trimmed",
        "le motif comporte des espaces superflus",
    ),
    // The storage's refusals.
    (
        "a group named {} already exists",
        "un groupe nommé {} existe déjà",
    ),
    (
        "the group has enrolled members, whose signed enrollments name it: it can no longer be renamed",
        "le groupe a des membres inscrits, dont les inscriptions signées le nomment : il ne peut plus être renommé",
    ),
    ("the invitation is {}", "l'invitation est {}"),
    (
        "this key is already registered",
        "cette clé est déjà enregistrée",
    ),
    (
        "the member already holds a valid key",
        "le membre détient déjà une clé valide",
    ),
    (
        "the member has no valid key",
        "le membre n'a pas de clé valide",
    ),
    (
        "the member was removed from the council",
        "le membre a été retiré du conseil",
    ),
    ("the member is not active", "le membre n'est pas actif"),
    (
        "the statement is not signed by the member's valid key",
        "la déclaration n'est pas signée par la clé valide du membre",
    ),
    (
        "this idempotency key was already used for a different request",
        "cette clé d'idempotence a déjà servi pour une autre requête",
    ),
    (
        "the case has moved on since you looked at it: reload it and try again",
        "l'affaire a changé depuis que vous l'avez consultée : rechargez-la et réessayez",
    ),
    (
        "the case is closed: its discussion is read-only",
        "l'affaire est close : sa discussion est en lecture seule",
    ),
    (
        "you recused yourself from this case",
        "vous vous êtes récusé dans cette affaire",
    ),
    (
        "you already recused yourself from this case",
        "vous vous êtes déjà récusé dans cette affaire",
    ),
    (
        "only the author may edit a comment",
        "seul son auteur peut modifier un commentaire",
    ),
    (
        "the case is not in its public comment period",
        "l'affaire n'est pas dans sa période de commentaires publics",
    ),
    (
        "this public comment was already approved or rejected",
        "ce commentaire public a déjà été approuvé ou rejeté",
    ),
    (
        "the decision is published: its record, public comments included, is final",
        "la décision est publiée : son dossier, commentaires publics compris, est définitif",
    ),
    (
        "voting on this motion has already opened",
        "le vote sur cette motion est déjà ouvert",
    ),
    (
        "voting on this motion is not open",
        "le vote sur cette motion n'est pas ouvert",
    ),
    (
        "voting on this motion has closed",
        "le vote sur cette motion est clos",
    ),
    (
        "voting opens only while the case is in its voting stage",
        "le vote ne s'ouvre que lorsque l'affaire est à son étape de vote",
    ),
    (
        "nobody is eligible to vote: no active member holds a key and is not recused",
        "personne ne peut voter : aucun membre actif et non récusé ne détient de clé",
    ),
    (
        "you are not on this motion's roll (it was fixed when voting opened)",
        "vous n'êtes pas sur la liste de cette motion (elle a été arrêtée à l'ouverture du vote)",
    ),
    (
        "this vote is out of date: it was replaced, or another vote was cast meanwhile (vote number {} is due)",
        "ce vote est périmé : il a été remplacé, ou un autre vote a été émis entre-temps (le vote numéro {} est attendu)",
    ),
    ("the vote is invalid: {}", "le vote n'est pas valide : {}"),
    (
        "not every member on the roll has voted yet",
        "les membres de la liste n'ont pas encore tous voté",
    ),
    (
        "the voting window has not ended yet",
        "la période de vote n'est pas encore finie",
    ),
    (
        "a motion on this case is still open for voting",
        "une motion de cette affaire est encore ouverte au vote",
    ),
    (
        "the rules have changed since you looked at them: reload and try again",
        "les règles ont changé depuis que vous les avez consultées : rechargez et réessayez",
    ),
    (
        "only an active admin may change the rules",
        "seul un administrateur actif peut changer les règles",
    ),
    (
        "these rules cannot be used: {}",
        "ces règles sont inutilisables : {}",
    ),
    (
        "the case is not decided: its vote is not over, or its decision is already published",
        "l'affaire n'est pas tranchée : son vote n'est pas fini, ou sa décision est déjà publiée",
    ),
    (
        "only members who voted on this case may write or sign its opinions",
        "seuls les membres qui ont voté dans cette affaire peuvent en écrire ou signer les opinions",
    ),
    (
        "only the rationale's assigned authors may edit or sign it",
        "seuls les auteurs désignés des motifs peuvent les modifier ou les signer",
    ),
    (
        "the rationale has been signed: its text and authors can no longer change",
        "les motifs ont été signés : leur texte et leurs auteurs ne peuvent plus changer",
    ),
    (
        "the rationale has changed since you read it: reload it and sign again",
        "les motifs ont changé depuis votre lecture : rechargez-les et signez à nouveau",
    ),
    (
        "the case has changed since this act was prepared: reload the page and sign again",
        "l'affaire a changé depuis la préparation de cet acte : rechargez la page et signez à nouveau",
    ),
    (
        "member {} is not the chair: only the chair opens votes, assigns panels and publishes decisions",
        "le membre {} n'est pas le président : seul le président ouvre les votes, désigne les formations et publie les décisions",
    ),
    (
        "a chair's act (a motion's opening, a panel, a decision) is signed by the chair's own key, never by the log key",
        "un acte du président (l'ouverture d'une motion, une formation, une décision) est signé par la propre clé du président, jamais par la clé du journal",
    ),
    (
        "the act's `by` is not the member who signed it",
        "le champ `by` de l'acte ne désigne pas le membre qui l'a signé",
    ),
    (
        "the act is dated {}, which is not when it reached the server ({})",
        "l'acte est daté de {}, ce qui n'est pas le moment où il est parvenu au serveur ({})",
    ),
    (
        "The statement to sign is for another council.",
        "L'acte à signer est celui d'un autre conseil.",
    ),
    (
        "you have already signed the rationale",
        "vous avez déjà signé les motifs",
    ),
    (
        "the majority rationale must be signed by each of its authors before publication",
        "les motifs de la majorité doivent être signés par chacun de leurs auteurs avant la publication",
    ),
    (
        "the decision is invalid: {}",
        "la décision n'est pas valide : {}",
    ),
    (
        "this case has no published decision",
        "cette affaire n'a pas de décision publiée",
    ),
    (
        "a case is published by publishing its decision, signed rationale and all",
        "une affaire est publiée en publiant sa décision, motifs signés compris",
    ),
    (
        "a case is published by publishing its decision",
        "une affaire est publiée en publiant sa décision",
    ),
    (
        "this is a demo key (public, usable by anyone): only a demo council accepts it",
        "c'est une clé de démonstration (publique, utilisable par tous) : seul un conseil de démonstration l'accepte",
    ),
    (
        "the signature does not verify",
        "la signature n'est pas valide",
    ),
    (
        "voting has opened on this case: its panel can no longer change",
        "le vote est ouvert dans cette affaire : sa formation ne peut plus changer",
    ),
    (
        "the write failed and nothing was stored: {}",
        "l'écriture a échoué et rien n'a été enregistré : {}",
    ),
    // The domain's reasons.
    (
        "a case cannot move from {} to {}",
        "une affaire ne peut pas passer de « {} » à « {} »",
    ),
    (
        "your role cannot move a case to {}",
        "votre rôle ne permet pas de faire passer une affaire à « {} »",
    ),
    (
        "moving a case to {} needs a reason",
        "faire passer une affaire à « {} » demande un motif",
    ),
    (
        "the reason is longer than {} characters",
        "le motif dépasse {} caractères",
    ),
    (
        "give the evidence a title of 1 to {} characters",
        "donnez à la pièce un titre de 1 à {} caractères",
    ),
    (
        "the text is empty or longer than {} characters",
        "le texte est vide ou dépasse {} caractères",
    ),
    (
        "the link must be an http(s) address of at most {} characters",
        "le lien doit être une adresse http(s) d'au plus {} caractères",
    ),
    (
        "the file is larger than {} MiB",
        "le fichier dépasse {} Mio",
    ),
    (
        "this kind of file is not accepted: {} only",
        "ce type de fichier n'est pas accepté : {} seulement",
    ),
    ("choose a file", "choisissez un fichier"),
    ("the {} is empty", "champ « {} » vide"),
    (
        "the {} is longer than {} characters",
        "le champ « {} » dépasse {} caractères",
    ),
    (
        "the {} contains a control character",
        "le champ « {} » contient un caractère de contrôle",
    ),
    (
        "the {} must be one line of 1 to {} characters",
        "le champ « {} » doit tenir en une ligne de 1 à {} caractères",
    ),
    ("unknown {} in the filter", "{} inconnu dans le filtre"),
    (
        "the {} date must be a date (YYYY-MM-DD)",
        "la date de {} doit être une date (AAAA-MM-JJ)",
    ),
    (
        "to filter by how a group voted, choose both the group and its vote",
        "pour filtrer selon le vote d'un groupe, choisissez le groupe et son vote",
    ),
    (
        "the catalogue already has a clause {}",
        "le catalogue a déjà une clause {}",
    ),
    (
        "the rules are malformed: {}",
        "les règles sont mal formées : {}",
    ),
    (
        "the {} must be {} bytes of hexadecimal",
        "le champ « {} » doit faire {} octets en hexadécimal",
    ),
    (
        "please give a reason: it is published in the log",
        "veuillez donner un motif : il est publié dans le journal",
    ),
    (
        "the new key is not a usable Ed25519 public key",
        "la nouvelle clé n'est pas une clé publique Ed25519 utilisable",
    ),
    (
        "the authors are not member numbers",
        "les auteurs ne sont pas des numéros de membre",
    ),
    (
        "`{}` is not one of the motion's choices",
        "« {} » n'est pas l'un des choix de la motion",
    ),
    (
        "vote sequence {} where {} was due (a replayed or skipped vote)",
        "vote numéro {} là où le numéro {} était attendu (un vote rejoué ou sauté)",
    ),
    (
        "a sealed vote needs a 32-byte salt",
        "un vote scellé demande un sel de 32 octets",
    ),
    (
        "this vote matches no commitment of its member",
        "ce vote ne correspond à aucun engagement de son membre",
    ),
    (
        "member {} did not vote on case {}",
        "le membre {} n'a pas voté dans l'affaire {}",
    ),
    (
        "member {} is not one of the majority rationale's authors",
        "le membre {} n'est pas l'un des auteurs des motifs de la majorité",
    ),
    (
        "case {} is cited as a precedent but has no published decision",
        "l'affaire {} est citée comme précédent mais n'a pas de décision publiée",
    ),
    (
        "case {} has no published decision",
        "l'affaire {} n'a pas de décision publiée",
    ),
    (
        "case {} is already decided",
        "l'affaire {} est déjà tranchée",
    ),
    ("member {} is not active", "le membre {} n'est pas actif"),
    ("this key was already used", "cette clé a déjà servi"),
    (
        "the new key is malformed or weak",
        "la nouvelle clé est mal formée ou faible",
    ),
    // The keystore, in the browser.
    (
        "The passphrase must have at least {} characters.",
        "La phrase secrète doit compter au moins {} caractères.",
    ),
    (
        "Wrong passphrase for this key.",
        "Phrase secrète erronée pour cette clé.",
    ),
    (
        "This is not a Tribune key file: {}",
        "Ce n'est pas un fichier de clé Tribune : {}",
    ),
    (
        "The browser could not provide random numbers.",
        "Le navigateur n'a pas pu fournir de nombres aléatoires.",
    ),
    (
        "Too short: at least {} characters.",
        "Trop courte : au moins {} caractères.",
    ),
    ("Strong.", "Solide."),
    (
        "Fair: a few more words would make it strong.",
        "Correcte : quelques mots de plus la rendraient solide.",
    ),
    (
        "Weak: use a longer phrase, mixing words, digits or symbols.",
        "Faible : prenez une phrase plus longue, mêlant mots, chiffres ou symboles.",
    ),
];
