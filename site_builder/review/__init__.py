"""审核与留痕: the content folder's git history, signed approvals, and the approved tree
that the build publishes when ``site.yml`` says ``review: {required: true}``."""
