"""Documents: packages, authentic texts and versions, signatures and verification bundles."""
