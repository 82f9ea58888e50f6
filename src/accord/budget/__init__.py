"""The budget: scales of shares, assessed contributions, payments and arrears."""
