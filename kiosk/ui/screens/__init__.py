"""The kiosk's screens: each is its own widget; the window only switches between them."""
