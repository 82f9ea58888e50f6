"""The joint press centre: releases in several languages, their review, and the public site."""
