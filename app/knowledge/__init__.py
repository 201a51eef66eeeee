"""The founder's own material: company profile, knowledge base, grounding of work, outbound drafts."""
