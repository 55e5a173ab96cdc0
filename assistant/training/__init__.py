"""For trainers and reviewers: the question bank, quiz marking, handouts, council comparison, coverage map."""
