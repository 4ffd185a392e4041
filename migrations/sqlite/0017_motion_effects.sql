-- What carrying a motion means for the case's subject (uphold, overturn,
-- reinstate, ...), stated by the chair in the draft and logged in the
-- motion's opening; and, per published decision, the ruling its motions
-- came to (`upheld`, `reinstatement-refused`, ...), NULL when no motion
-- stated an effect. Older motions and decisions have none.
ALTER TABLE motions ADD COLUMN effect TEXT
    CHECK (effect IN ('uphold', 'overturn', 'reinstate', 'refuse-reinstatement', 'restore-with-label'));
ALTER TABLE decision_index ADD COLUMN ruling TEXT;
