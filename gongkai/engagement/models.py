"""Public engagement: consultations on drafts, interviews, press conferences, mailbox."""
