-- Issue 12: an account can be disabled without deleting it (its orders keep their owner). A disabled account
-- cannot sign in and its tokens stop working. Production disables the development demo accounts at start.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;
