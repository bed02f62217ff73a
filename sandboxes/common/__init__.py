"""What every sandbox shares: its clock, injected faults, the request log and the generic operator
endpoints under /_sandbox/. A sandbox package adds its own API, catalogue and moderation on top.
"""
