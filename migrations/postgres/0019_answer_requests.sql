-- The platform's answers taken with an Idempotency-Key: a retry (the same
-- token and key, the same answer) is given the entry logged the first time
-- instead of logging the answer twice; the same key with another answer
-- is refused.
CREATE TABLE answer_requests (
    token_id         BIGINT NOT NULL REFERENCES intake_tokens (id),
    idempotency_key  TEXT   NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    request_hash     BYTEA  NOT NULL CHECK (length(request_hash) = 32),
    log_index        BIGINT NOT NULL REFERENCES recommendation_answers (log_index),
    PRIMARY KEY (token_id, idempotency_key)
);
