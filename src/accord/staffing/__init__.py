"""Quota posts: the posts of a term shared among the member states, and who fills them."""
