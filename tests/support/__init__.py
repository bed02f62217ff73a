"""The one copy of each test helper (the bench may use them too):

- processes.py: free ports, wait_for, starting and stopping processes, a throwaway Redis server;
- sandboxes.py: a sandbox process for a fixture (`with running(name, *args) as url`) and its operator
  endpoints (`op`, reset, requests, clock, faults, catalogue, moderation), the same for every sandbox;
- app.py: building the service under test against sandboxes, from their catalogues' credentials;
- workers.py: real delivery workers (`Workers`), and `killed_mid_step`, the worker-killed-mid-delivery
  scenario of every upload provider, in seconds.
- metrics.py: totals read from a /metrics answer.
"""
