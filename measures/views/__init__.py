"""Staff screens: `staff` for the yearly work, `workflow` for sign-off."""
