//! Storage methods whose SQL and logic are the same on both backends. They
//! are written once as macros and expanded in each backend's module, where
//! `self.reader()` is its read pool and `self.begin_write()` starts a
//! serialised write transaction (so the log has one sequencer at a time).

/// Free functions used inside write transactions, for the backend `$db`.
macro_rules! write_helpers {
    ($db:ty) => {
        /// Appends `statement` as the next log entry and publishes a checkpoint
        /// over the whole log signed by `log_key`, inside `tx`. Returns the
        /// entry's index.
        async fn append_statement(
            tx: &mut sqlx::Transaction<'static, $db>,
            ledger: &crate::ledger::LedgerCell,
            statement: &domain::statement::SignedStatement,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            let mut frontier = log_frontier_in(tx).await?;
            let facts = domain::ledger::Facts {
                arrived_at: Some(now.unix_seconds()),
                sealed_vote: None,
            };
            let index = append_entry(tx, ledger, statement, &mut frontier, now, &facts).await?;
            publish_checkpoint(tx, &frontier, log_key, now).await?;
            Ok(index)
        }

        /// The council's state replayed up to the end of the log as `tx`
        /// sees it (whose right edge is `frontier`): the kept state when it
        /// is over the same entries, caught up with entries appended since,
        /// or rebuilt from the whole log when it is not (the first write, or
        /// after a write that failed once applied).
        async fn ledger_at<'c>(
            tx: &mut sqlx::Transaction<'static, $db>,
            cell: &'c crate::ledger::LedgerCell,
            frontier: &domain::merkle::Frontier,
        ) -> Result<tokio::sync::MappedMutexGuard<'c, crate::ledger::Replayed>, crate::StorageError>
        {
            let mut guard = cell.0.lock().await;
            let usable = match guard.as_ref() {
                Some(kept) if kept.frontier.len() == frontier.len() => {
                    kept.frontier.root() == frontier.root()
                }
                Some(kept) if kept.frontier.len() < frontier.len() => {
                    let root: Option<Vec<u8>> =
                        sqlx::query_scalar(crate::sql::SELECT_CHECKPOINT_ROOT)
                            .bind(crate::db_int(kept.frontier.len()))
                            .fetch_optional(&mut **tx)
                            .await?;
                    root.as_deref() == Some(kept.frontier.root().as_bytes().as_slice())
                }
                _ => false,
            };
            if !usable {
                let origin = log_origin_in(tx).await?;
                let vkey: Option<String> = sqlx::query_scalar(crate::sql::SELECT_LOG_KEY)
                    .fetch_optional(&mut **tx)
                    .await?;
                let vkey = vkey.ok_or(crate::StorageError::NoCouncil)?;
                let log_key = domain::note::NoteVerifier::from_vkey(&vkey)
                    .map_err(|e| crate::StorageError::Corrupt(format!("log key: {e}")))?;
                *guard = Some(crate::ledger::Replayed::new(domain::ledger::Ledger::new(
                    &origin, &log_key,
                )));
            }
            let mut replayed = tokio::sync::MutexGuard::try_map(guard, Option::as_mut)
                .map_err(|_| crate::StorageError::NoCouncil)?;
            // Entries this state has not seen: all of them when rebuilt.
            while replayed.frontier.len() < frontier.len() {
                let start = replayed.frontier.len();
                let end = frontier.len().min(start + 4096);
                let entries: Vec<Vec<u8>> = sqlx::query_scalar(crate::sql::SELECT_LOG_ENTRIES)
                    .bind(crate::db_int(start))
                    .bind(crate::db_int(end))
                    .fetch_all(&mut **tx)
                    .await?;
                if entries.is_empty() {
                    return Err(crate::StorageError::Corrupt(format!(
                        "log entries {start}..{end} are missing"
                    )));
                }
                for entry in &entries {
                    replayed.replay(entry);
                }
            }
            Ok(replayed)
        }

        /// Asks the council's state at the end of the log, as `tx` sees it.
        async fn with_ledger<R>(
            tx: &mut sqlx::Transaction<'static, $db>,
            cell: &crate::ledger::LedgerCell,
            ask: impl FnOnce(&domain::ledger::Ledger) -> R,
        ) -> Result<R, crate::StorageError> {
            let frontier = log_frontier_in(tx).await?;
            let replayed = ledger_at(tx, cell, &frontier).await?;
            Ok(ask(&replayed.ledger))
        }

        /// The right edge of the whole log, from the latest checkpoint (which
        /// stores it, and whose root it must give) plus any entry after it:
        /// O(log n) per write transaction. A checkpoint from before the edge
        /// was stored has it rebuilt from every leaf hash, once.
        async fn log_frontier_in(
            tx: &mut sqlx::Transaction<'static, $db>,
        ) -> Result<domain::merkle::Frontier, crate::StorageError> {
            let latest: Option<(i64, Vec<u8>, Option<Vec<u8>>)> =
                sqlx::query_as(crate::sql::SELECT_LATEST_FRONTIER)
                    .fetch_optional(&mut **tx)
                    .await?;
            let mut frontier = match latest {
                Some((size, root, Some(edge))) => {
                    let size = u64::try_from(size).map_err(|_| {
                        crate::StorageError::Corrupt("a checkpoint size is negative".to_owned())
                    })?;
                    let frontier = domain::merkle::Frontier::from_bytes(size, &edge)
                        .map_err(|e| crate::StorageError::Corrupt(format!("checkpoint: {e}")))?;
                    if frontier.root().as_bytes().as_slice() != root.as_slice() {
                        return Err(crate::StorageError::Corrupt(format!(
                            "the stored edge of checkpoint {size} does not give its root"
                        )));
                    }
                    frontier
                }
                _ => domain::merkle::Frontier::default(),
            };
            // Entries after the edge (all of them when none is stored).
            let after: Vec<Vec<u8>> = sqlx::query_scalar(crate::sql::SELECT_LEAF_HASHES_FROM)
                .bind(crate::db_int(frontier.len()))
                .fetch_all(&mut **tx)
                .await?;
            for bytes in after {
                let leaf = domain::merkle::MerkleHash::from_slice(&bytes).ok_or_else(|| {
                    crate::StorageError::Corrupt("a leaf hash is not 32 bytes".to_owned())
                })?;
                frontier.push(leaf);
            }
            Ok(frontier)
        }

        /// Appends `statement` as the next entry after `frontier` (which it
        /// extends) without publishing a checkpoint. Returns its index.
        async fn append_entry(
            tx: &mut sqlx::Transaction<'static, $db>,
            ledger: &crate::ledger::LedgerCell,
            statement: &domain::statement::SignedStatement,
            frontier: &mut domain::merkle::Frontier,
            now: domain::Timestamp,
            facts: &domain::ledger::Facts<'_>,
        ) -> Result<u64, crate::StorageError> {
            let entry = statement
                .to_entry()
                .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
            let index = frontier.len();
            let leaf = domain::merkle::leaf_hash(&entry);
            {
                // The one decision, replay's own: refused, nothing is written.
                let mut replayed = ledger_at(tx, ledger, frontier).await?;
                replayed
                    .ledger
                    .apply(statement, &entry, facts)
                    .map_err(crate::StorageError::Refused)?;
                replayed.frontier.push(leaf);
            }
            sqlx::query(crate::sql::INSERT_LOG_ENTRY)
                .bind(crate::db_int(index))
                .bind(&entry)
                .bind(leaf.as_bytes().as_slice())
                .bind(now.unix_seconds())
                .execute(&mut **tx)
                .await?;
            // The subtree heads this entry completes (one on average).
            let mut completed = Vec::new();
            frontier.push_with_nodes(leaf, |subtree, head| completed.push((subtree, head)));
            for (subtree, head) in completed {
                sqlx::query(crate::log_nodes::INSERT_NODE)
                    .bind(i64::from(subtree.level))
                    .bind(crate::db_int(subtree.index))
                    .bind(head.as_bytes().as_slice())
                    .execute(&mut **tx)
                    .await?;
            }
            Ok(index)
        }

        /// Publishes the checkpoint over the whole log (whose right edge is
        /// `frontier`), signed by `log_key`, with the edge for the next write.
        async fn publish_checkpoint(
            tx: &mut sqlx::Transaction<'static, $db>,
            frontier: &domain::merkle::Frontier,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<(), crate::StorageError> {
            let origin = log_origin_in(tx).await?;
            let size = frontier.len();
            let root = frontier.root();
            let note = domain::checkpoint::Checkpoint {
                origin,
                size,
                root,
                extensions: vec![],
            }
            .sign(log_key)
            .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
            sqlx::query(crate::sql::INSERT_CHECKPOINT)
                .bind(crate::db_int(size))
                .bind(root.as_bytes().as_slice())
                .bind(&note)
                .bind(now.unix_seconds())
                .bind(frontier.to_bytes())
                .execute(&mut **tx)
                .await?;
            Ok(())
        }

        /// A statement about `member` signed by the log key (role changes
        /// and revocations by an admin).
        fn member_statement(
            kind: domain::statement::StatementKind,
            origin: domain::LogOrigin,
            member: domain::statement::MemberId,
            body: &impl serde::Serialize,
            log_key: &domain::note::NoteSigner,
        ) -> Result<domain::statement::SignedStatement, crate::StorageError> {
            let statement = domain::statement::Statement {
                kind,
                origin,
                subject: domain::statement::Subject {
                    member: Some(member),
                    ..Default::default()
                },
                body: serde_json::to_value(body)
                    .map_err(|e| crate::StorageError::Statement(e.to_string()))?,
            };
            log_key
                .sign_statement(statement)
                .map_err(|e| crate::StorageError::Statement(e.to_string()))
        }

        /// The case `case` with its clauses and events, inside `tx`.
        async fn case_in(
            tx: &mut sqlx::Transaction<'static, $db>,
            case: domain::cases::CaseId,
        ) -> Result<crate::Case, crate::StorageError> {
            let row: Option<crate::cases::CaseRow> = sqlx::query_as(crate::cases::SELECT_CASE)
                .bind(crate::db_int(case.0))
                .fetch_optional(&mut **tx)
                .await?;
            let row = row.ok_or(crate::StorageError::NotFound)?;
            let clauses: Vec<String> = sqlx::query_scalar(crate::cases::SELECT_CASE_CLAUSES)
                .bind(crate::db_int(case.0))
                .fetch_all(&mut **tx)
                .await?;
            let events: Vec<crate::cases::EventRow> =
                sqlx::query_as(crate::cases::SELECT_CASE_EVENTS)
                    .bind(crate::db_int(case.0))
                    .fetch_all(&mut **tx)
                    .await?;
            row.case(clauses, events)
        }

        /// The status of `case` (`NotFound` if there is no such case).
        async fn case_status_in(
            tx: &mut sqlx::Transaction<'static, $db>,
            case: i64,
        ) -> Result<domain::cases::CaseStatus, crate::StorageError> {
            let status: Option<String> =
                sqlx::query_scalar(crate::deliberation::SELECT_CASE_STATUS)
                    .bind(case)
                    .fetch_optional(&mut **tx)
                    .await?;
            let status = status.ok_or(crate::StorageError::NotFound)?;
            domain::cases::CaseStatus::parse(&status)
                .ok_or_else(|| crate::StorageError::Corrupt("case: status".to_owned()))
        }

        /// Whether comments are accepted on `case` from `member`: the case is
        /// open and the member has not recused.
        async fn check_may_discuss(
            tx: &mut sqlx::Transaction<'static, $db>,
            case: i64,
            member: i64,
        ) -> Result<(), crate::StorageError> {
            if !case_status_in(tx, case).await?.is_open() {
                return Err(crate::StorageError::CaseClosed);
            }
            let recused: i64 = sqlx::query_scalar(crate::deliberation::SELECT_RECUSED)
                .bind(case)
                .bind(member)
                .fetch_one(&mut **tx)
                .await?;
            if recused > 0 {
                return Err(crate::StorageError::Recused);
            }
            Ok(())
        }

        async fn log_origin_in(
            tx: &mut sqlx::Transaction<'static, $db>,
        ) -> Result<domain::LogOrigin, crate::StorageError> {
            let origin: Option<String> = sqlx::query_scalar(crate::sql::SELECT_LOG_ORIGIN)
                .fetch_optional(&mut **tx)
                .await?;
            let origin = origin.ok_or(crate::StorageError::NoCouncil)?;
            domain::LogOrigin::parse(&origin)
                .map_err(|e| crate::StorageError::Corrupt(format!("council: {e}")))
        }

        async fn member_in(
            tx: &mut sqlx::Transaction<'static, $db>,
            id: domain::statement::MemberId,
        ) -> Result<Option<crate::Member>, crate::StorageError> {
            let rows: Vec<crate::rows::MemberKeyRow> =
                sqlx::query_as(crate::sql::SELECT_MEMBER_WITH_KEYS)
                    .bind(crate::db_int(id.0))
                    .fetch_all(&mut **tx)
                    .await?;
            crate::rows::member_with_keys(rows)
        }
    };
}

/// Reads used by more than one storage method, for the backend `$db`, on a
/// connection the caller checked out (so a method that reads several can
/// keep one connection).
macro_rules! read_helpers {
    ($db:ty) => {
        type ReadConnection = <$db as sqlx::Database>::Connection;

        /// The case with its clauses and lifecycle events.
        async fn case_on(
            conn: &mut ReadConnection,
            id: domain::cases::CaseId,
        ) -> Result<Option<crate::Case>, crate::StorageError> {
            let row: Option<crate::cases::CaseRow> = sqlx::query_as(crate::cases::SELECT_CASE)
                .bind(crate::db_int(id.0))
                .fetch_optional(&mut *conn)
                .await?;
            let Some(row) = row else { return Ok(None) };
            let clauses: Vec<String> = sqlx::query_scalar(crate::cases::SELECT_CASE_CLAUSES)
                .bind(crate::db_int(id.0))
                .fetch_all(&mut *conn)
                .await?;
            let events: Vec<crate::cases::EventRow> =
                sqlx::query_as(crate::cases::SELECT_CASE_EVENTS)
                    .bind(crate::db_int(id.0))
                    .fetch_all(&mut *conn)
                    .await?;
            row.case(clauses, events).map(Some)
        }

        /// The motions on a case, oldest first.
        async fn motions_on(
            conn: &mut ReadConnection,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::Motion>, crate::StorageError> {
            let rows: Vec<crate::voting::MotionRow> =
                sqlx::query_as(crate::voting::SELECT_MOTIONS_OF_CASE)
                    .bind(crate::db_int(case.0))
                    .fetch_all(&mut *conn)
                    .await?;
            rows.into_iter().map(crate::voting::motion).collect()
        }

        /// The signed opinions on a case.
        async fn opinions_on(
            conn: &mut ReadConnection,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::Opinion>, crate::StorageError> {
            let rows: Vec<crate::decisions::OpinionRow> =
                sqlx::query_as(crate::decisions::SELECT_OPINIONS)
                    .bind(crate::db_int(case.0))
                    .fetch_all(&mut *conn)
                    .await?;
            rows.into_iter().map(crate::decisions::opinion).collect()
        }

        /// The published decision on a case, if any.
        async fn decision_on(
            conn: &mut ReadConnection,
            case: domain::cases::CaseId,
        ) -> Result<Option<crate::Decision>, crate::StorageError> {
            let row: Option<(i64, String)> = sqlx::query_as(crate::decisions::SELECT_DECISION)
                .bind(crate::db_int(case.0))
                .fetch_optional(&mut *conn)
                .await?;
            row.map(|(index, body)| {
                Ok(crate::Decision {
                    case,
                    log_index: index as u64,
                    body: serde_json::from_str(&body)
                        .map_err(|_| crate::StorageError::Corrupt("decision".to_owned()))?,
                })
            })
            .transpose()
        }

        /// Every vote on a case's motions, replaced ones too.
        async fn case_votes_on(
            conn: &mut ReadConnection,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::CaseVote>, crate::StorageError> {
            let rows: Vec<crate::public::CaseVoteRow> =
                sqlx::query_as(crate::public::SELECT_CASE_VOTES)
                    .bind(crate::db_int(case.0))
                    .fetch_all(&mut *conn)
                    .await?;
            Ok(rows.into_iter().map(crate::public::case_vote).collect())
        }

        /// The platform's answers on a case, in log order.
        async fn answers_on(
            conn: &mut ReadConnection,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::Answer>, crate::StorageError> {
            let rows: Vec<crate::decisions::AnswerRow> =
                sqlx::query_as(crate::decisions::SELECT_ANSWERS)
                    .bind(crate::db_int(case.0))
                    .fetch_all(&mut *conn)
                    .await?;
            rows.into_iter().map(crate::decisions::answer).collect()
        }

        /// The approved public comments on a case.
        async fn public_comments_on(
            conn: &mut ReadConnection,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::PublicComment>, crate::StorageError> {
            let rows: Vec<crate::deliberation::PublicCommentRow> =
                sqlx::query_as(crate::deliberation::SELECT_PUBLIC_COMMENTS)
                    .bind(crate::db_int(case.0))
                    .fetch_all(&mut *conn)
                    .await?;
            Ok(rows
                .into_iter()
                .map(crate::deliberation::public_comment)
                .collect())
        }
    };
}

pub(crate) use read_helpers;

/// `impl Storage for $ty`: the backend's own methods (`$specific`) plus the
/// shared ones for members, invitations and sessions. (One macro around the
/// whole impl, so that `#[async_trait]` sees every method.)
macro_rules! storage_impl {
    ($ty:ty, { $($specific:tt)* }) => {
        #[async_trait::async_trait]
        impl crate::Storage for $ty {
        $($specific)*

        async fn clause_decisions(
            &self,
            code: &domain::cases::ClauseCode,
        ) -> Result<Vec<domain::consistency::ClauseDecision>, crate::StorageError> {
            let rows: Vec<crate::public::ClauseDecisionRow> =
                sqlx::query_as(crate::public::SELECT_CLAUSE_DECISIONS)
                    .bind(crate::public::clause_tag(code))
                    .fetch_all(self.reader())
                    .await?;
            rows.into_iter().map(crate::public::clause_decision).collect()
        }

        async fn clause_decision_counts(&self) -> Result<Vec<(String, u64)>, crate::StorageError> {
            let rows: Vec<(String, i64)> = sqlx::query_as(crate::public::SELECT_CLAUSE_COUNTS)
                .fetch_all(self.reader())
                .await?;
            Ok(rows
                .into_iter()
                .filter_map(|(tag, n)| {
                    tag.strip_prefix("clause:").map(|code| (code.to_owned(), n as u64))
                })
                .collect())
        }

        async fn checkpoint_note(&self, size: u64) -> Result<Option<String>, crate::StorageError> {
            Ok(sqlx::query_scalar(crate::sql::SELECT_CHECKPOINT_NOTE)
                .bind(crate::db_int(size))
                .fetch_optional(self.reader())
                .await?)
        }

        async fn add_cosignatures(
            &self,
            cosignatures: &[crate::CheckpointCosignature],
        ) -> Result<u64, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let mut added = 0;
            for c in cosignatures {
                added += sqlx::query(crate::sql::INSERT_COSIGNATURE)
                    .bind(crate::db_int(c.size))
                    .bind(&c.witness)
                    .bind(i64::from(c.key_id))
                    .bind(crate::db_int(c.signed_at))
                    .bind(&c.line)
                    .bind(crate::now().unix_seconds())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(added)
        }

        async fn cosignatures(
            &self,
            size: u64,
        ) -> Result<Vec<crate::CheckpointCosignature>, crate::StorageError> {
            let rows: Vec<(i64, String, i64, i64, String)> =
                sqlx::query_as(crate::sql::SELECT_COSIGNATURES)
                    .bind(crate::db_int(size))
                    .fetch_all(self.reader())
                    .await?;
            rows.into_iter().map(crate::rows::cosignature).collect()
        }

        async fn recent_cosignatures(
            &self,
            limit: u32,
        ) -> Result<Vec<crate::CheckpointCosignature>, crate::StorageError> {
            let rows: Vec<(i64, String, i64, i64, String)> =
                sqlx::query_as(crate::sql::SELECT_RECENT_COSIGNATURES)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await?;
            rows.into_iter().map(crate::rows::cosignature).collect()
        }

        async fn groups(&self) -> Result<Vec<crate::Group>, crate::StorageError> {
            let rows: Vec<(i64, String, i64)> = sqlx::query_as(crate::sql::SELECT_GROUPS)
                .fetch_all(self.reader())
                .await?;
            rows.into_iter().map(crate::rows::group).collect()
        }

        async fn create_group(
            &self,
            name: &domain::members::GroupName,
        ) -> Result<domain::members::GroupId, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let id: Option<i64> = sqlx::query_scalar(crate::sql::INSERT_GROUP)
                .bind(name.as_str())
                .bind(crate::now().unix_seconds())
                .fetch_optional(&mut *tx)
                .await?;
            let id = id.ok_or_else(|| crate::StorageError::GroupNameTaken(name.to_string()))?;
            tx.commit().await?;
            Ok(domain::members::GroupId(id as u64))
        }

        async fn rename_group(
            &self,
            id: domain::members::GroupId,
            name: &domain::members::GroupName,
        ) -> Result<(), crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let current: Option<String> = sqlx::query_scalar(crate::sql::SELECT_GROUP_NAME)
                .bind(crate::db_int(id.0))
                .fetch_optional(&mut *tx)
                .await?;
            if current.is_none() {
                return Err(crate::StorageError::NotFound);
            }
            let taken: Option<i64> = sqlx::query_scalar(crate::sql::SELECT_GROUP_BY_NAME)
                .bind(name.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some_and(|other| other as u64 != id.0) {
                return Err(crate::StorageError::GroupNameTaken(name.to_string()));
            }
            let members: i64 = sqlx::query_scalar(crate::sql::COUNT_GROUP_MEMBERS)
                .bind(crate::db_int(id.0))
                .fetch_one(&mut *tx)
                .await?;
            if members > 0 {
                return Err(crate::StorageError::GroupHasMembers);
            }
            sqlx::query(crate::sql::RENAME_GROUP)
                .bind(crate::db_int(id.0))
                .bind(name.as_str())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn group_by_name(
            &self,
            name: &domain::members::GroupName,
        ) -> Result<Option<domain::members::GroupId>, crate::StorageError> {
            let id: Option<i64> = sqlx::query_scalar(crate::sql::SELECT_GROUP_BY_NAME)
                .bind(name.as_str())
                .fetch_optional(self.reader())
                .await?;
            Ok(id.map(|id| domain::members::GroupId(id as u64)))
        }

        async fn create_invitation(
            &self,
            invitation: &crate::NewInvitation,
            log_key: &domain::note::NoteSigner,
        ) -> Result<crate::Invitation, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let origin = log_origin_in(&mut tx).await?;
            let group: Option<String> = sqlx::query_scalar(crate::sql::SELECT_GROUP_NAME)
                .bind(crate::db_int(invitation.group.0))
                .fetch_optional(&mut *tx)
                .await?;
            let group = group.ok_or(crate::StorageError::NotFound)?;
            let member = match invitation.member {
                Some(member) => {
                    let existing = member_in(&mut tx, member)
                        .await?
                        .ok_or(crate::StorageError::NotFound)?;
                    if existing.active_key().is_some() {
                        return Err(crate::StorageError::AlreadyEnrolled);
                    }
                    member
                }
                None => {
                    let next: i64 = sqlx::query_scalar(crate::sql::NEXT_MEMBER_ID)
                        .fetch_one(&mut *tx)
                        .await?;
                    domain::statement::MemberId(next as u64)
                }
            };
            let terms = domain::members::InvitationTerms {
                member,
                name: invitation.name.clone(),
                group: domain::members::GroupName::parse(&group)
                    .map_err(|e| crate::StorageError::Corrupt(format!("group: {e}")))?,
                role: invitation.role,
                expires_at: invitation.expires_at,
            };
            let signature = terms.sign_by(&origin, log_key);
            let now = crate::now();
            let id: i64 = sqlx::query_scalar(crate::sql::INSERT_INVITATION)
                .bind(invitation.token_hash.as_slice())
                .bind(crate::db_int(member.0))
                .bind(terms.name.as_str())
                .bind(crate::db_int(invitation.group.0))
                .bind(terms.group.as_str())
                .bind(terms.role.as_str())
                .bind(terms.expires_at.unix_seconds())
                .bind(signature.as_slice())
                .bind(invitation.created_by.map(|m| crate::db_int(m.0)))
                .bind(now.unix_seconds())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(crate::Invitation {
                id: domain::members::InvitationId(id as u64),
                terms,
                signature,
                group_id: invitation.group,
                created_by: invitation.created_by,
                created_at: now,
                used_at: None,
                revoked_at: None,
            })
        }

        async fn invitation_by_token(
            &self,
            token_hash: &[u8; 32],
        ) -> Result<Option<crate::Invitation>, crate::StorageError> {
            let row: Option<crate::rows::InvitationRow> =
                sqlx::query_as(crate::sql::SELECT_INVITATION_BY_TOKEN)
                    .bind(token_hash.as_slice())
                    .fetch_optional(self.reader())
                    .await?;
            row.map(crate::Invitation::try_from).transpose()
        }

        async fn invitations(
            &self,
            limit: u32,
        ) -> Result<Vec<crate::Invitation>, crate::StorageError> {
            let rows: Vec<crate::rows::InvitationRow> =
                sqlx::query_as(crate::sql::SELECT_INVITATIONS)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await?;
            rows.into_iter().map(crate::Invitation::try_from).collect()
        }

        async fn revoke_invitation(
            &self,
            id: domain::members::InvitationId,
            now: domain::Timestamp,
        ) -> Result<(), crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let row: Option<crate::rows::InvitationRow> =
                sqlx::query_as(crate::sql::SELECT_INVITATION_BY_ID)
                    .bind(crate::db_int(id.0))
                    .fetch_optional(&mut *tx)
                    .await?;
            let invitation: crate::Invitation = row.ok_or(crate::StorageError::NotFound)?.try_into()?;
            match invitation.state(now) {
                crate::InvitationState::Open | crate::InvitationState::Expired => {}
                state => return Err(crate::StorageError::InvitationUnusable(state)),
            }
            sqlx::query(crate::sql::REVOKE_INVITATION)
                .bind(crate::db_int(id.0))
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn enroll(
            &self,
            token_hash: &[u8; 32],
            enrollment: &domain::statement::SignedStatement,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<domain::statement::MemberId, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let row: Option<crate::rows::InvitationRow> =
                sqlx::query_as(crate::sql::SELECT_INVITATION_BY_TOKEN)
                    .bind(token_hash.as_slice())
                    .fetch_optional(&mut *tx)
                    .await?;
            let invitation: crate::Invitation = row.ok_or(crate::StorageError::NotFound)?.try_into()?;
            let state = invitation.state(now);
            if state != crate::InvitationState::Open {
                return Err(crate::StorageError::InvitationUnusable(state));
            }
            let member = invitation.terms.member;
            if enrollment.statement.kind != domain::statement::StatementKind::MemberEnrollment
                || enrollment.statement.subject.member != Some(member)
            {
                return Err(crate::StorageError::Statement(
                    "the enrollment is not for this invitation".to_owned(),
                ));
            }
            // A fresh key (never a member's, nor the log's), allowed in
            // this council, for a member without a valid key who was not
            // removed: the log's rules, asked as the enrollment is appended.
            let existing = member_in(&mut tx, member).await?;
            let index = append_statement(&mut tx, &self.ledger, enrollment, log_key, now).await?;
            let terms = &invitation.terms;
            let query = if existing.is_some() {
                sqlx::query(crate::sql::REENROLL_MEMBER)
                    .bind(crate::db_int(member.0))
                    .bind(terms.name.as_str())
                    .bind(crate::db_int(invitation.group_id.0))
                    .bind(terms.role.as_str())
            } else {
                sqlx::query(crate::sql::INSERT_MEMBER)
                    .bind(crate::db_int(member.0))
                    .bind(terms.name.as_str())
                    .bind(crate::db_int(invitation.group_id.0))
                    .bind(terms.role.as_str())
                    .bind(now.unix_seconds())
            };
            query.execute(&mut *tx).await?;
            sqlx::query(crate::sql::INSERT_MEMBER_KEY)
                .bind(enrollment.signer.as_slice())
                .bind(crate::db_int(member.0))
                .bind(crate::db_int(index))
                .execute(&mut *tx)
                .await?;
            let used = sqlx::query(crate::sql::USE_INVITATION)
                .bind(crate::db_int(invitation.id.0))
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if used != 1 {
                return Err(crate::StorageError::InvitationUnusable(
                    crate::InvitationState::Used,
                ));
            }
            tx.commit().await?;
            Ok(member)
        }

        async fn members(&self) -> Result<Vec<crate::Member>, crate::StorageError> {
            let rows: Vec<crate::rows::MemberRow> = sqlx::query_as(crate::sql::SELECT_MEMBERS)
                .fetch_all(self.reader())
                .await?;
            let keys: Vec<crate::rows::KeyRow> = sqlx::query_as(crate::sql::SELECT_ALL_MEMBER_KEYS)
                .fetch_all(self.reader())
                .await?;
            crate::rows::members(rows, keys)
        }

        async fn member(
            &self,
            id: domain::statement::MemberId,
        ) -> Result<Option<crate::Member>, crate::StorageError> {
            let rows: Vec<crate::rows::MemberKeyRow> =
                sqlx::query_as(crate::sql::SELECT_MEMBER_WITH_KEYS)
                    .bind(crate::db_int(id.0))
                    .fetch_all(self.reader())
                    .await?;
            crate::rows::member_with_keys(rows)
        }

        async fn key_owner(
            &self,
            public_key: &[u8; 32],
        ) -> Result<Option<domain::statement::MemberId>, crate::StorageError> {
            let owner: Option<i64> = sqlx::query_scalar(crate::sql::SELECT_KEY_OWNER)
                .bind(public_key.as_slice())
                .fetch_optional(self.reader())
                .await?;
            Ok(owner.map(|id| domain::statement::MemberId(id as u64)))
        }

        async fn change_role(
            &self,
            change: &crate::RoleChange,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            use domain::members::MemberStatus;
            let mut tx = self.begin_write().await?;
            let origin = log_origin_in(&mut tx).await?;
            // Whether the member may still change role or status, and the
            // acting admin's, are the log's rules.
            member_in(&mut tx, change.member)
                .await?
                .ok_or(crate::StorageError::NotFound)?;
            let body = domain::members::RoleChangeBody {
                role: change.role,
                status: change.status,
                by: change.by,
                reason: change.reason.clone(),
            };
            let signed = member_statement(
                domain::statement::StatementKind::RoleChange,
                origin,
                change.member,
                &body,
                log_key,
            )?;
            let index = append_statement(&mut tx, &self.ledger, &signed, log_key, now).await?;
            sqlx::query(crate::sql::UPDATE_MEMBER_ROLE)
                .bind(crate::db_int(change.member.0))
                .bind(change.role.as_str())
                .bind(change.status.as_str())
                .execute(&mut *tx)
                .await?;
            if change.status == MemberStatus::Removed {
                sqlx::query(crate::sql::END_MEMBER_KEY)
                    .bind(crate::db_int(change.member.0))
                    .bind(crate::db_int(index))
                    .execute(&mut *tx)
                    .await?;
            }
            if change.status != MemberStatus::Active {
                sqlx::query(crate::sql::DELETE_MEMBER_SESSIONS)
                    .bind(crate::db_int(change.member.0))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(index)
        }

        async fn revoke_key(
            &self,
            member: domain::statement::MemberId,
            by: Option<domain::statement::MemberId>,
            reason: &str,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let origin = log_origin_in(&mut tx).await?;
            let record = member_in(&mut tx, member)
                .await?
                .ok_or(crate::StorageError::NotFound)?;
            let key = *record.active_key().ok_or(crate::StorageError::NoValidKey)?;
            let body = domain::members::RevocationBody {
                key: domain::hex::encode(&key),
                by,
                reason: reason.to_owned(),
            };
            let signed = member_statement(
                domain::statement::StatementKind::KeyRevocation,
                origin,
                member,
                &body,
                log_key,
            )?;
            let index = append_statement(&mut tx, &self.ledger, &signed, log_key, now).await?;
            sqlx::query(crate::sql::END_MEMBER_KEY)
                .bind(crate::db_int(member.0))
                .bind(crate::db_int(index))
                .execute(&mut *tx)
                .await?;
            sqlx::query(crate::sql::DELETE_MEMBER_SESSIONS)
                .bind(crate::db_int(member.0))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(index)
        }

        async fn rotate_key(
            &self,
            rotation: &domain::statement::SignedStatement,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            use domain::members::RotationBody;
            use domain::statement::StatementKind;
            let member = match (rotation.statement.kind, rotation.statement.subject.member) {
                (StatementKind::KeyRotation, Some(member)) => member,
                _ => {
                    return Err(crate::StorageError::Statement(
                        "not a key rotation for a member".to_owned(),
                    ));
                }
            };
            let body: RotationBody = serde_json::from_value(rotation.statement.body.clone())
                .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
            let new_key = domain::hex::decode(&body.new_key)
                .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                .ok_or_else(|| {
                    crate::StorageError::Statement("the new key is not 32 bytes of hex".to_owned())
                })?;
            let mut tx = self.begin_write().await?;
            // The signer's valid key and status, and a fresh new key allowed
            // in this council: the log's rules, asked as the rotation is
            // appended.
            member_in(&mut tx, member)
                .await?
                .ok_or(crate::StorageError::NotFound)?;
            let index = append_statement(&mut tx, &self.ledger, rotation, log_key, now).await?;
            sqlx::query(crate::sql::END_MEMBER_KEY)
                .bind(crate::db_int(member.0))
                .bind(crate::db_int(index))
                .execute(&mut *tx)
                .await?;
            sqlx::query(crate::sql::INSERT_MEMBER_KEY)
                .bind(new_key.as_slice())
                .bind(crate::db_int(member.0))
                .bind(crate::db_int(index))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(index)
        }

        async fn add_clause(
            &self,
            clause: &crate::Clause,
            now: domain::Timestamp,
        ) -> Result<bool, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let added = sqlx::query(crate::cases::INSERT_CLAUSE)
                .bind(clause.code.as_str())
                .bind(&clause.title)
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(added == 1)
        }

        async fn clauses(&self) -> Result<Vec<crate::Clause>, crate::StorageError> {
            let rows: Vec<(String, String)> = sqlx::query_as(crate::cases::SELECT_CLAUSES)
                .fetch_all(self.reader())
                .await?;
            rows.into_iter().map(crate::cases::clause).collect()
        }

        async fn create_intake_token(
            &self,
            name: &str,
            token_hash: &[u8; 32],
            created_by: Option<domain::statement::MemberId>,
            now: domain::Timestamp,
        ) -> Result<domain::cases::IntakeTokenId, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let id: i64 = sqlx::query_scalar(crate::cases::INSERT_TOKEN)
                .bind(name)
                .bind(token_hash.as_slice())
                .bind(created_by.map(|m| crate::db_int(m.0)))
                .bind(now.unix_seconds())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(domain::cases::IntakeTokenId(id as u64))
        }

        async fn intake_tokens(&self) -> Result<Vec<crate::IntakeToken>, crate::StorageError> {
            let rows: Vec<crate::cases::TokenRow> = sqlx::query_as(crate::cases::SELECT_TOKENS)
                .fetch_all(self.reader())
                .await?;
            Ok(rows.into_iter().map(crate::cases::token).collect())
        }

        async fn intake_token(
            &self,
            token_hash: &[u8; 32],
        ) -> Result<Option<crate::IntakeToken>, crate::StorageError> {
            let row: Option<crate::cases::TokenRow> =
                sqlx::query_as(crate::cases::SELECT_LIVE_TOKEN)
                    .bind(token_hash.as_slice())
                    .fetch_optional(self.reader())
                    .await?;
            Ok(row.map(crate::cases::token))
        }

        async fn revoke_intake_token(
            &self,
            id: domain::cases::IntakeTokenId,
            now: domain::Timestamp,
        ) -> Result<(), crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let revoked = sqlx::query(crate::cases::REVOKE_TOKEN)
                .bind(crate::db_int(id.0))
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if revoked != 1 {
                return Err(crate::StorageError::NotFound);
            }
            tx.commit().await?;
            Ok(())
        }

        async fn create_case(
            &self,
            fields: &domain::cases::CaseFields,
            actor: crate::Actor,
            idempotency: Option<&crate::Idempotency>,
            now: domain::Timestamp,
        ) -> Result<crate::Intake, crate::StorageError> {
            use domain::cases::{CaseId, CaseStatus};
            let mut tx = self.begin_write().await?;
            if let Some(idempotency) = idempotency {
                let existing: Option<(i64, Option<Vec<u8>>)> =
                    sqlx::query_as(crate::cases::SELECT_IDEMPOTENT)
                        .bind(crate::db_int(idempotency.token.0))
                        .bind(&idempotency.key)
                        .fetch_optional(&mut *tx)
                        .await?;
                if let Some((id, hash)) = existing {
                    return if hash.as_deref() == Some(idempotency.request_hash.as_slice()) {
                        Ok(crate::Intake::Existing(CaseId(id as u64)))
                    } else {
                        Err(crate::StorageError::IdempotencyKeyReused)
                    };
                }
            }
            let (member, token) = match actor {
                crate::Actor::Member(m) => (Some(crate::db_int(m.0)), None),
                crate::Actor::Token(t) => (None, Some(crate::db_int(t.0))),
            };
            let deadline = domain::cases::stage_deadline(CaseStatus::Intake, now);
            let id: i64 = sqlx::query_scalar(crate::cases::INSERT_CASE)
                .bind(fields.kind.as_str())
                .bind(&fields.subject_handle)
                .bind(fields.subject_link.as_deref())
                .bind(fields.excerpt.as_deref())
                .bind(crate::db_int(fields.audience))
                .bind(fields.tier.as_str())
                .bind(fields.original_action.as_str())
                .bind(&fields.reason)
                .bind(now.unix_seconds())
                .bind(deadline.map(|d| d.unix_seconds()))
                .bind(member)
                .bind(token)
                .bind(idempotency.map(|i| i.key.clone()))
                .bind(idempotency.map(|i| i.request_hash.to_vec()))
                .fetch_one(&mut *tx)
                .await?;
            for code in &fields.clauses {
                sqlx::query(crate::cases::INSERT_CASE_CLAUSE)
                    .bind(id)
                    .bind(code.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(crate::cases::INSERT_CASE_EVENT)
                .bind(id)
                .bind(None::<String>)
                .bind(CaseStatus::Intake.as_str())
                .bind(member)
                .bind(token)
                .bind(None::<String>)
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(crate::Intake::Created(CaseId(id as u64)))
        }

        async fn case(
            &self,
            id: domain::cases::CaseId,
        ) -> Result<Option<crate::Case>, crate::StorageError> {
            case_on(&mut *self.reader().acquire().await?, id).await
        }

        async fn cases(
            &self,
            filter: &crate::CaseFilter,
        ) -> Result<crate::CasePage, crate::StorageError> {
            let limit = filter.limit.clamp(1, 200);
            let search = filter
                .search
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(crate::cases::like_pattern);
            let mut rows: Vec<crate::cases::CaseRow> =
                sqlx::query_as(crate::cases::SELECT_CASES)
                    .bind(filter.kind.map(|k| k.as_str()))
                    .bind(filter.status.map(|s| s.as_str()))
                    .bind(filter.clause.as_ref().map(|c| c.as_str().to_owned()))
                    .bind(filter.tier.map(|t| t.as_str()))
                    .bind(search)
                    .bind(filter.before.map(|b| crate::db_int(b.0)))
                    .bind(i64::from(limit) + 1)
                    .fetch_all(self.reader())
                    .await?;
            let more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            let mut clauses: std::collections::HashMap<i64, Vec<String>> =
                std::collections::HashMap::new();
            if let (Some(low), Some(high)) = (
                rows.iter().map(|r| r.id).min(),
                rows.iter().map(|r| r.id).max(),
            ) {
                let pairs: Vec<(i64, String)> =
                    sqlx::query_as(crate::cases::SELECT_CLAUSES_IN_RANGE)
                        .bind(low)
                        .bind(high)
                        .fetch_all(self.reader())
                        .await?;
                for (case, code) in pairs {
                    clauses.entry(case).or_default().push(code);
                }
            }
            let mut cases = Vec::with_capacity(rows.len());
            for row in rows {
                let codes = clauses.remove(&row.id).unwrap_or_default();
                cases.push(row.summary(codes)?);
            }
            let next = if more { cases.last().map(|c| c.id) } else { None };
            Ok(crate::CasePage { cases, next })
        }

        async fn move_case(
            &self,
            transition: &crate::Transition,
            now: domain::Timestamp,
        ) -> Result<(), crate::StorageError> {
            if transition.to == domain::cases::CaseStatus::Published {
                return Err(crate::StorageError::PublishedByDecision);
            }
            let mut tx = self.begin_write().await?;
            let moved = sqlx::query(crate::cases::MOVE_CASE)
                .bind(crate::db_int(transition.case.0))
                .bind(transition.from.as_str())
                .bind(transition.to.as_str())
                .bind(now.unix_seconds())
                .bind(domain::cases::stage_deadline(transition.to, now).map(|d| d.unix_seconds()))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if moved != 1 {
                return Err(crate::StorageError::CaseMoved);
            }
            // A case leaves its voting stage only once every motion closed.
            if transition.from == domain::cases::CaseStatus::Voting {
                let open: i64 = sqlx::query_scalar(crate::voting::SELECT_OPEN_MOTIONS_OF_CASE)
                    .bind(crate::db_int(transition.case.0))
                    .fetch_one(&mut *tx)
                    .await?;
                if open > 0 {
                    return Err(crate::StorageError::MotionsOpen);
                }
            }
            sqlx::query(crate::cases::INSERT_CASE_EVENT)
                .bind(crate::db_int(transition.case.0))
                .bind(Some(transition.from.as_str()))
                .bind(transition.to.as_str())
                .bind(Some(crate::db_int(transition.by.0)))
                .bind(None::<i64>)
                .bind(transition.reason.as_deref())
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn rules(&self) -> Result<domain::voting::Rules, crate::StorageError> {
            let body: Option<String> = sqlx::query_scalar(crate::voting::SELECT_CURRENT_RULES)
                .fetch_optional(self.reader())
                .await?;
            crate::voting::current_rules(body)
        }

        async fn rules_history(&self) -> Result<Vec<crate::RulesVersion>, crate::StorageError> {
            let rows: Vec<crate::voting::RulesRow> =
                sqlx::query_as(crate::voting::SELECT_RULES_HISTORY)
                    .fetch_all(self.reader())
                    .await?;
            let mut history = vec![crate::RulesVersion {
                rules: domain::voting::Rules::initial(),
                change: None,
            }];
            for row in rows {
                history.push(crate::voting::rules_version(row)?);
            }
            Ok(history)
        }

        async fn change_rules(
            &self,
            change: &domain::statement::SignedStatement,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            self.change_rules_tx(change, log_key, now).await
        }

        async fn draft_motion(
            &self,
            case: domain::cases::CaseId,
            draft: &domain::voting::MotionDraft,
            by: domain::statement::MemberId,
            now: domain::Timestamp,
        ) -> Result<domain::statement::MotionId, crate::StorageError> {
            self.draft_motion_tx(case, draft, by, now).await
        }

        async fn motions(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::Motion>, crate::StorageError> {
            motions_on(&mut *self.reader().acquire().await?, case).await
        }

        async fn assign_panel(
            &self,
            case: domain::cases::CaseId,
            members: &[domain::statement::MemberId],
            by: domain::statement::MemberId,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            self.assign_panel_tx(case, members, by, log_key, now).await
        }

        async fn panel(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Option<Vec<domain::statement::MemberId>>, crate::StorageError> {
            let json: Option<String> = sqlx::query_scalar(crate::voting::SELECT_PANEL)
                .bind(crate::db_int(case.0))
                .fetch_optional(self.reader())
                .await?;
            crate::voting::panel_members(json)
        }

        async fn motion_case(
            &self,
            id: domain::statement::MotionId,
        ) -> Result<Option<domain::cases::CaseId>, crate::StorageError> {
            if let Some(case) = self.motion_cases.get(id) {
                return Ok(Some(case));
            }
            let case: Option<i64> = sqlx::query_scalar(crate::voting::SELECT_MOTION_CASE)
                .bind(crate::db_int(id.0))
                .fetch_optional(self.reader())
                .await?;
            let case = case.map(|c| domain::cases::CaseId(c as u64));
            if let Some(case) = case {
                self.motion_cases.insert(id, case);
            }
            Ok(case)
        }

        async fn motion(
            &self,
            id: domain::statement::MotionId,
        ) -> Result<Option<crate::Motion>, crate::StorageError> {
            let row: Option<crate::voting::MotionRow> =
                sqlx::query_as(crate::voting::SELECT_MOTION)
                    .bind(crate::db_int(id.0))
                    .fetch_optional(self.reader())
                    .await?;
            row.map(crate::voting::motion).transpose()
        }

        async fn open_motion(
            &self,
            id: domain::statement::MotionId,
            by: domain::statement::MemberId,
            closes_at: domain::Timestamp,
            rules: &domain::voting::Rules,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            self.open_motion_tx(id, by, closes_at, rules, log_key, now).await
        }

        async fn cast_vote(
            &self,
            vote: &domain::statement::SignedStatement,
            commitment: Option<&domain::statement::SignedStatement>,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            self.cast_vote_tx(vote, commitment, log_key, now).await
        }

        async fn subtree_heads(
            &self,
            wanted: &[domain::merkle::Subtree],
        ) -> Result<
            std::collections::HashMap<domain::merkle::Subtree, domain::merkle::MerkleHash>,
            crate::StorageError,
        > {
            self.read_subtree_heads(wanted).await
        }

        async fn close_motion(
            &self,
            id: domain::statement::MotionId,
            reason: domain::voting::CloseReason,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<domain::voting::Tally, crate::StorageError> {
            self.close_motion_tx(id, reason, log_key, now).await
        }

        async fn due_motions(
            &self,
            now: domain::Timestamp,
        ) -> Result<Vec<domain::statement::MotionId>, crate::StorageError> {
            let ids: Vec<i64> = sqlx::query_scalar(crate::voting::SELECT_DUE)
                .bind(now.unix_seconds())
                .fetch_all(self.reader())
                .await?;
            Ok(ids
                .into_iter()
                .map(|id| domain::statement::MotionId(id as u64))
                .collect())
        }

        async fn votes(
            &self,
            motion: domain::statement::MotionId,
        ) -> Result<Vec<crate::Vote>, crate::StorageError> {
            let rows: Vec<crate::voting::VoteRow> = sqlx::query_as(crate::voting::SELECT_VOTES)
                .bind(crate::db_int(motion.0))
                .fetch_all(self.reader())
                .await?;
            Ok(rows.into_iter().map(crate::voting::vote).collect())
        }

        async fn decision_draft(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<crate::DecisionDraft, crate::StorageError> {
            let row: Option<crate::decisions::DraftRow> =
                sqlx::query_as(crate::decisions::SELECT_DRAFT)
                    .bind(crate::db_int(case.0))
                    .fetch_optional(self.reader())
                    .await?;
            let Some(row) = row else {
                return Ok(crate::DecisionDraft::default());
            };
            let names = self
                .members()
                .await?
                .into_iter()
                .map(|m| (m.id, m.name.as_str().to_owned()))
                .collect();
            crate::decisions::draft(row, &names)
        }

        async fn assign_authors(
            &self,
            case: domain::cases::CaseId,
            authors: &[domain::statement::MemberId],
            by: domain::statement::MemberId,
            now: domain::Timestamp,
        ) -> Result<(), crate::StorageError> {
            self.assign_authors_tx(case, authors, by, now).await
        }

        async fn save_rationale(
            &self,
            case: domain::cases::CaseId,
            member: domain::statement::MemberId,
            text: &str,
            now: domain::Timestamp,
        ) -> Result<(), crate::StorageError> {
            self.save_rationale_tx(case, member, text, now).await
        }

        async fn save_decision_record(
            &self,
            case: domain::cases::CaseId,
            record: &domain::decisions::DecisionRecord,
            by: domain::statement::MemberId,
            now: domain::Timestamp,
        ) -> Result<(), crate::StorageError> {
            self.save_decision_record_tx(case, record, by, now).await
        }

        async fn sign_opinion(
            &self,
            opinion: &domain::statement::SignedStatement,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            self.sign_opinion_tx(opinion, log_key, now).await
        }

        async fn opinions(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::Opinion>, crate::StorageError> {
            opinions_on(&mut *self.reader().acquire().await?, case).await
        }

        async fn publish_decision(
            &self,
            case: domain::cases::CaseId,
            by: domain::statement::MemberId,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            self.publish_decision_tx(case, by, log_key, now).await
        }

        async fn decision(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Option<crate::Decision>, crate::StorageError> {
            decision_on(&mut *self.reader().acquire().await?, case).await
        }

        async fn published_decision(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Option<domain::public::PublishedDecision>, crate::StorageError> {
            // One connection for the record's nine small queries: a pooled
            // query each would check a connection out and back in nine
            // times, each a hand-off to SQLite's worker thread.
            let mut conn = self.reader().acquire().await?;
            let Some(decision) = decision_on(&mut conn, case).await? else {
                return Ok(None);
            };
            let Some(record) = case_on(&mut conn, case).await? else {
                return Ok(None);
            };
            crate::public::assemble(crate::public::Parts {
                case: record,
                log_index: decision.log_index,
                decision: decision.body,
                motions: motions_on(&mut conn, case).await?,
                votes: case_votes_on(&mut conn, case).await?,
                opinions: opinions_on(&mut conn, case).await?,
                answers: answers_on(&mut conn, case).await?,
                comments: public_comments_on(&mut conn, case).await?,
            })
            .map(Some)
        }

        async fn recent_decisions(
            &self,
            limit: u32,
        ) -> Result<Vec<crate::DecisionSummary>, crate::StorageError> {
            let rows: Vec<crate::decisions::SummaryRow> =
                sqlx::query_as(crate::decisions::SELECT_RECENT_DECISIONS)
                    .bind(i64::from(limit))
                    .fetch_all(self.reader())
                    .await?;
            rows.into_iter().map(crate::decisions::summary).collect()
        }

        async fn decision_log(
            &self,
            filter: &crate::DecisionFilter,
        ) -> Result<crate::DecisionPage, crate::StorageError> {
            let limit = filter.limit.clamp(1, 200);
            let words = filter
                .search
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(crate::public::search_words);
            let (sql, search) = match words {
                None => (crate::public::SELECT_DECISION_LOG, None),
                // A search with no word in it (only punctuation) finds nothing.
                Some(words) if words.is_empty() => {
                    return Ok(crate::DecisionPage {
                        decisions: Vec::new(),
                        next: None,
                    });
                }
                Some(words) => (
                    match self.backend() {
                        crate::Backend::Sqlite => crate::public::SEARCH_DECISION_LOG_SQLITE,
                        crate::Backend::Postgres => crate::public::SEARCH_DECISION_LOG_POSTGRES,
                    },
                    Some(crate::public::search_query(self.backend(), &words)),
                ),
            };
            let mut rows: Vec<crate::decisions::SummaryRow> =
                sqlx::query_as(sql)
                    .bind(filter.kind.map(|k| k.as_str()))
                    .bind(filter.tier.map(|t| t.as_str()))
                    .bind(filter.clause.as_ref().map(crate::clause_tag))
                    .bind(filter.outcome.map(crate::outcome_tag))
                    .bind(filter.group_vote.as_ref().map(|(g, c)| crate::group_tag(g, c)))
                    .bind(filter.from.map(|t| t.0))
                    .bind(filter.until.map(|t| t.0))
                    .bind(search)
                    .bind(filter.before.map(crate::db_int))
                    .bind(
                        filter
                            .with_recommendations
                            .then_some(crate::public::RECOMMENDATIONS_TAG),
                    )
                    .bind(i64::from(limit) + 1)
                    .fetch_all(self.reader())
                    .await?;
            let more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            let decisions: Vec<crate::DecisionSummary> = rows
                .into_iter()
                .map(crate::decisions::summary)
                .collect::<Result<_, _>>()?;
            let next = if more {
                decisions.last().map(|d| d.log_index)
            } else {
                None
            };
            Ok(crate::DecisionPage { decisions, next })
        }

        async fn case_votes(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::CaseVote>, crate::StorageError> {
            case_votes_on(&mut *self.reader().acquire().await?, case).await
        }

        async fn answer_recommendation(
            &self,
            case: domain::cases::CaseId,
            recommendation: u32,
            status: domain::decisions::AnswerStatus,
            text: &str,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            self.answer_recommendation_tx(case, recommendation, status, text, log_key, now)
                .await
        }

        async fn answers(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::Answer>, crate::StorageError> {
            answers_on(&mut *self.reader().acquire().await?, case).await
        }

        async fn recuse(
            &self,
            recusal: &domain::statement::SignedStatement,
            log_key: &domain::note::NoteSigner,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            use domain::statement::StatementKind;
            let (case, member) = match (
                recusal.statement.kind,
                recusal.statement.subject.case,
                recusal.statement.subject.member,
            ) {
                (StatementKind::Recusal, Some(case), Some(member)) => (case, member),
                _ => {
                    return Err(crate::StorageError::Statement(
                        "not a recusal from a case".to_owned(),
                    ));
                }
            };
            let body: domain::cases::RecusalBody =
                serde_json::from_value(recusal.statement.body.clone())
                    .map_err(|e| crate::StorageError::Statement(e.to_string()))?;
            let mut tx = self.begin_write().await?;
            if !case_status_in(&mut tx, crate::db_int(case.0)).await?.is_open() {
                return Err(crate::StorageError::CaseClosed);
            }
            // The signer's key and status, and a recusal made once: the
            // log's rules, asked as the recusal is appended.
            let index = append_statement(&mut tx, &self.ledger, recusal, log_key, now).await?;
            sqlx::query(crate::deliberation::INSERT_RECUSAL)
                .bind(crate::db_int(case.0))
                .bind(crate::db_int(member.0))
                .bind(crate::db_int(index))
                .bind(&body.reason)
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(index)
        }

        async fn recusals(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::Recusal>, crate::StorageError> {
            let rows: Vec<crate::deliberation::RecusalRow> =
                sqlx::query_as(crate::deliberation::SELECT_RECUSALS)
                    .bind(crate::db_int(case.0))
                    .fetch_all(self.reader())
                    .await?;
            Ok(rows.into_iter().map(crate::deliberation::recusal).collect())
        }

        async fn add_comment(
            &self,
            case: domain::cases::CaseId,
            parent: Option<crate::CommentId>,
            member: domain::statement::MemberId,
            body: &str,
            now: domain::Timestamp,
        ) -> Result<crate::CommentId, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            check_may_discuss(&mut tx, crate::db_int(case.0), crate::db_int(member.0)).await?;
            if let Some(parent) = parent {
                let owner: Option<(i64, i64)> =
                    sqlx::query_as(crate::deliberation::SELECT_COMMENT_CASE)
                        .bind(crate::db_int(parent.0))
                        .fetch_optional(&mut *tx)
                        .await?;
                if owner.map(|(c, _)| c) != Some(crate::db_int(case.0)) {
                    return Err(crate::StorageError::NotFound);
                }
            }
            let id: i64 = sqlx::query_scalar(crate::deliberation::INSERT_COMMENT)
                .bind(crate::db_int(case.0))
                .bind(parent.map(|p| crate::db_int(p.0)))
                .bind(crate::db_int(member.0))
                .bind(now.unix_seconds())
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(crate::deliberation::INSERT_COMMENT_VERSION)
                .bind(id)
                .bind(body)
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(crate::CommentId(id as u64))
        }

        async fn edit_comment(
            &self,
            comment: crate::CommentId,
            member: domain::statement::MemberId,
            body: &str,
            now: domain::Timestamp,
        ) -> Result<(), crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let owner: Option<(i64, i64)> =
                sqlx::query_as(crate::deliberation::SELECT_COMMENT_CASE)
                    .bind(crate::db_int(comment.0))
                    .fetch_optional(&mut *tx)
                    .await?;
            let (case, author) = owner.ok_or(crate::StorageError::NotFound)?;
            if author != crate::db_int(member.0) {
                return Err(crate::StorageError::NotTheAuthor);
            }
            check_may_discuss(&mut tx, case, author).await?;
            sqlx::query(crate::deliberation::INSERT_COMMENT_VERSION)
                .bind(crate::db_int(comment.0))
                .bind(body)
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn comments(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::Comment>, crate::StorageError> {
            let rows: Vec<crate::deliberation::CommentRow> =
                sqlx::query_as(crate::deliberation::SELECT_COMMENTS)
                    .bind(crate::db_int(case.0))
                    .fetch_all(self.reader())
                    .await?;
            Ok(rows.into_iter().map(crate::deliberation::comment).collect())
        }

        async fn comment_versions(
            &self,
            comment: crate::CommentId,
        ) -> Result<Vec<crate::CommentVersion>, crate::StorageError> {
            let rows: Vec<(String, i64)> =
                sqlx::query_as(crate::deliberation::SELECT_COMMENT_VERSIONS)
                    .bind(crate::db_int(comment.0))
                    .fetch_all(self.reader())
                    .await?;
            Ok(rows
                .into_iter()
                .map(|(body, at)| crate::CommentVersion {
                    body,
                    at: domain::Timestamp(at),
                })
                .collect())
        }

        async fn mark_read(
            &self,
            member: domain::statement::MemberId,
            case: domain::cases::CaseId,
            last: crate::CommentId,
        ) -> Result<(), crate::StorageError> {
            let mut tx = self.begin_write().await?;
            sqlx::query(crate::deliberation::UPSERT_READ)
                .bind(crate::db_int(member.0))
                .bind(crate::db_int(case.0))
                .bind(crate::db_int(last.0))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn last_read(
            &self,
            member: domain::statement::MemberId,
            case: domain::cases::CaseId,
        ) -> Result<Option<crate::CommentId>, crate::StorageError> {
            let last: Option<i64> = sqlx::query_scalar(crate::deliberation::SELECT_READ)
                .bind(crate::db_int(member.0))
                .bind(crate::db_int(case.0))
                .fetch_optional(self.reader())
                .await?;
            Ok(last.map(|id| crate::CommentId(id as u64)))
        }

        async fn add_evidence(
            &self,
            case: domain::cases::CaseId,
            member: domain::statement::MemberId,
            title: &str,
            content: &domain::cases::EvidenceContent,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            use domain::cases::EvidenceContent;
            use sha2::Digest as _;
            let mut tx = self.begin_write().await?;
            // A recused member takes no further part: no evidence either.
            check_may_discuss(&mut tx, crate::db_int(case.0), crate::db_int(member.0)).await?;
            let (body, url, file) = match content {
                EvidenceContent::Text(text) => (Some(text.as_str()), None, None),
                EvidenceContent::Link(url) => (None, Some(url.as_str()), None),
                EvidenceContent::File {
                    name,
                    content_type,
                    bytes,
                } => (None, None, Some((name, *content_type, bytes))),
            };
            let hash = file.map(|(_, _, bytes)| sha2::Sha256::digest(bytes).to_vec());
            let id: i64 = sqlx::query_scalar(crate::deliberation::INSERT_EVIDENCE)
                .bind(crate::db_int(case.0))
                .bind(crate::db_int(member.0))
                .bind(content.kind())
                .bind(title)
                .bind(body)
                .bind(url)
                .bind(file.map(|(name, _, _)| name.as_str()))
                .bind(file.map(|(_, content_type, _)| content_type))
                .bind(file.map(|(_, _, bytes)| bytes.len() as i64))
                .bind(hash)
                .bind(file.map(|(_, _, bytes)| bytes.as_slice()))
                .bind(now.unix_seconds())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(id as u64)
        }

        async fn evidence(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::Evidence>, crate::StorageError> {
            let rows: Vec<crate::deliberation::EvidenceRow> =
                sqlx::query_as(crate::deliberation::SELECT_EVIDENCE)
                    .bind(crate::db_int(case.0))
                    .fetch_all(self.reader())
                    .await?;
            Ok(rows.into_iter().map(crate::Evidence::from).collect())
        }

        async fn evidence_file(
            &self,
            case: domain::cases::CaseId,
            id: u64,
        ) -> Result<Option<crate::EvidenceFile>, crate::StorageError> {
            let row: Option<(String, String, Vec<u8>, Vec<u8>)> =
                sqlx::query_as(crate::deliberation::SELECT_EVIDENCE_FILE)
                    .bind(crate::db_int(case.0))
                    .bind(crate::db_int(id))
                    .fetch_optional(self.reader())
                    .await?;
            row.map(|(file_name, content_type, sha256, data)| {
                Ok(crate::EvidenceFile {
                    file_name,
                    content_type,
                    sha256: <[u8; 32]>::try_from(sha256).map_err(|_| {
                        crate::StorageError::Corrupt("an evidence hash is not 32 bytes".to_owned())
                    })?,
                    data,
                })
            })
            .transpose()
        }

        async fn add_public_comment(
            &self,
            case: domain::cases::CaseId,
            name: &str,
            affiliation: Option<&str>,
            body: &str,
            now: domain::Timestamp,
        ) -> Result<u64, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            if !case_status_in(&mut tx, crate::db_int(case.0))
                .await?
                .in_comment_period()
            {
                return Err(crate::StorageError::CommentPeriodClosed);
            }
            let id: i64 = sqlx::query_scalar(crate::deliberation::INSERT_PUBLIC_COMMENT)
                .bind(crate::db_int(case.0))
                .bind(name)
                .bind(affiliation)
                .bind(body)
                .bind(now.unix_seconds())
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(id as u64)
        }

        async fn public_comments(
            &self,
            case: domain::cases::CaseId,
        ) -> Result<Vec<crate::PublicComment>, crate::StorageError> {
            public_comments_on(&mut *self.reader().acquire().await?, case).await
        }

        async fn decide_public_comment(
            &self,
            id: u64,
            approve: bool,
            reason: Option<&str>,
            by: domain::statement::MemberId,
            now: domain::Timestamp,
        ) -> Result<(), crate::StorageError> {
            let mut tx = self.begin_write().await?;
            // A published decision committed to its approved comments.
            let status: Option<String> =
                sqlx::query_scalar(crate::deliberation::SELECT_PUBLIC_COMMENT_CASE_STATUS)
                    .bind(crate::db_int(id))
                    .fetch_optional(&mut *tx)
                    .await?;
            if status.as_deref() == Some(domain::cases::CaseStatus::Published.as_str()) {
                return Err(crate::StorageError::RecordFinal);
            }
            let decided = sqlx::query(crate::deliberation::DECIDE_PUBLIC_COMMENT)
                .bind(crate::db_int(id))
                .bind(if approve { "approved" } else { "rejected" })
                .bind(reason)
                .bind(now.unix_seconds())
                .bind(crate::db_int(by.0))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if decided != 1 {
                let exists: i64 =
                    sqlx::query_scalar(crate::deliberation::SELECT_PUBLIC_COMMENT_EXISTS)
                        .bind(crate::db_int(id))
                        .fetch_one(&mut *tx)
                        .await?;
                return Err(if exists == 0 {
                    crate::StorageError::NotFound
                } else {
                    crate::StorageError::AlreadyDecided
                });
            }
            tx.commit().await?;
            Ok(())
        }

        async fn member_activity(
            &self,
            member: domain::statement::MemberId,
            now: domain::Timestamp,
        ) -> Result<crate::MemberActivity, crate::StorageError> {
            let unread: Vec<(i64, i64)> = sqlx::query_as(crate::deliberation::SELECT_UNREAD_COUNTS)
                .bind(crate::db_int(member.0))
                .fetch_all(self.reader())
                .await?;
            let recused: Vec<i64> = sqlx::query_scalar(crate::deliberation::SELECT_MEMBER_RECUSALS)
                .bind(crate::db_int(member.0))
                .fetch_all(self.reader())
                .await?;
            // Open motions are few: their rolls are read and filtered here.
            let open: Vec<(i64, i64, Option<String>, Option<i64>)> =
                sqlx::query_as(crate::voting::SELECT_OPEN_MOTION_ROLLS)
                    .fetch_all(self.reader())
                    .await?;
            let voted: Vec<i64> = sqlx::query_scalar(crate::voting::SELECT_MOTIONS_VOTED_BY)
                .bind(crate::db_int(member.0))
                .fetch_all(self.reader())
                .await?;
            let now = now.unix_seconds();
            let mut awaiting_vote: Vec<domain::cases::CaseId> = Vec::new();
            for (motion, case, opening, closes_at) in open {
                let body: domain::voting::MotionBody =
                    serde_json::from_str(opening.as_deref().unwrap_or_default())
                        .map_err(|_| crate::StorageError::Corrupt("motion: opening".to_owned()))?;
                let case = domain::cases::CaseId(case as u64);
                if closes_at.is_some_and(|at| at > now)
                    && body.on_roll(member)
                    && !voted.contains(&motion)
                    && !awaiting_vote.contains(&case)
                {
                    awaiting_vote.push(case);
                }
            }
            Ok(crate::MemberActivity {
                awaiting_vote,
                unread: unread
                    .into_iter()
                    .map(|(case, n)| (domain::cases::CaseId(case as u64), n as u64))
                    .collect(),
                recused: recused
                    .into_iter()
                    .map(|case| domain::cases::CaseId(case as u64))
                    .collect(),
            })
        }

        async fn create_challenge(
            &self,
            nonce: &[u8; 32],
            expires_at: domain::Timestamp,
            now: domain::Timestamp,
        ) -> Result<(), crate::StorageError> {
            let mut tx = self.begin_write().await?;
            sqlx::query(crate::sql::DELETE_EXPIRED_CHALLENGES)
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?;
            sqlx::query(crate::sql::INSERT_CHALLENGE)
                .bind(nonce.as_slice())
                .bind(expires_at.unix_seconds())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn take_challenge(
            &self,
            nonce: &[u8; 32],
            now: domain::Timestamp,
        ) -> Result<bool, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let taken = sqlx::query(crate::sql::TAKE_CHALLENGE)
                .bind(nonce.as_slice())
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(taken == 1)
        }

        async fn create_session(
            &self,
            token_hash: &[u8; 32],
            member: domain::statement::MemberId,
            now: domain::Timestamp,
            expires_at: domain::Timestamp,
            user_agent: &str,
        ) -> Result<domain::members::SessionId, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            sqlx::query(crate::sql::DELETE_EXPIRED_SESSIONS)
                .bind(now.unix_seconds())
                .execute(&mut *tx)
                .await?;
            let id: i64 = sqlx::query_scalar(crate::sql::INSERT_SESSION)
                .bind(token_hash.as_slice())
                .bind(crate::db_int(member.0))
                .bind(now.unix_seconds())
                .bind(expires_at.unix_seconds())
                .bind(user_agent)
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(domain::members::SessionId(id as u64))
        }

        async fn session(
            &self,
            token_hash: &[u8; 32],
            now: domain::Timestamp,
        ) -> Result<
            Option<(domain::members::SessionId, domain::statement::MemberId)>,
            crate::StorageError,
        > {
            let row: Option<(i64, i64)> = sqlx::query_as(crate::sql::SELECT_SESSION_MEMBER)
                .bind(token_hash.as_slice())
                .bind(now.unix_seconds())
                .fetch_optional(self.reader())
                .await?;
            Ok(row.map(|(session, member)| {
                (
                    domain::members::SessionId(session as u64),
                    domain::statement::MemberId(member as u64),
                )
            }))
        }

        async fn sessions(
            &self,
            member: domain::statement::MemberId,
            now: domain::Timestamp,
        ) -> Result<Vec<crate::SessionSummary>, crate::StorageError> {
            let rows: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(crate::sql::SELECT_MEMBER_SESSIONS)
                    .bind(crate::db_int(member.0))
                    .bind(now.unix_seconds())
                    .fetch_all(self.reader())
                    .await?;
            Ok(rows.into_iter().map(crate::rows::session).collect())
        }

        async fn end_session(&self, token_hash: &[u8; 32]) -> Result<(), crate::StorageError> {
            let mut tx = self.begin_write().await?;
            sqlx::query(crate::sql::DELETE_SESSION)
                .bind(token_hash.as_slice())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn end_member_session(
            &self,
            member: domain::statement::MemberId,
            session: domain::members::SessionId,
        ) -> Result<(), crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let ended = sqlx::query(crate::sql::DELETE_MEMBER_SESSION)
                .bind(crate::db_int(member.0))
                .bind(crate::db_int(session.0))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if ended == 0 {
                return Err(crate::StorageError::NotFound);
            }
            tx.commit().await?;
            Ok(())
        }

        async fn end_member_sessions(
            &self,
            member: domain::statement::MemberId,
        ) -> Result<u64, crate::StorageError> {
            let mut tx = self.begin_write().await?;
            let ended = sqlx::query(crate::sql::DELETE_MEMBER_SESSIONS)
                .bind(crate::db_int(member.0))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(ended)
        }
        }
    };
}

pub(crate) use storage_impl;
pub(crate) use write_helpers;
