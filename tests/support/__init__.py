"""The one copy of each test helper (the bench may use them too):

- processes.py: free ports, wait_for, starting and stopping processes, a throwaway Redis server;
- sandboxes.py: starting a sandbox (`python -m sandboxes.<name>`) and its operator endpoints
  (reset, requests, clock, faults, catalogue, moderation), the same for every sandbox;
- app.py: building the service under test against sandboxes, from their catalogues' credentials;
- metrics.py: totals read from a /metrics answer.
"""
