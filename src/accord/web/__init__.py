"""The page shell: templates, static files and the middleware every page goes through."""
