"""Accounts of the 工作台: users and roles, password hashes, sessions, login throttling.

Everything lives in the state folder (``.pufa-state/``, mode 0700), never in the content
folder: the command line (`pufa users`) and the service share it.
"""
