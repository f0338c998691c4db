"""Facts: workers, platforms, engagements and enrolments — what happened, not what is owed."""
