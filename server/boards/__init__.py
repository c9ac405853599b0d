"""Boards: columns, cards, moves, card details and the board's JSON API."""
