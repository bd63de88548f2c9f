"""Feature cogs: each module or package is one feature and only translates Discord to the domain."""
