"""Staff screens, by screen area.

- ``home``: the dashboard and an organisation's page; ``assessments``: ITA scores;
  ``documents``: a measures document, its findings, themes and measures; ``rounds``: progress
  rounds, entries and evidence;
- ``workflow``: sign-off (chain, submit, inbox, review, memo, editions); ``tabular``: imports and
  exports; ``oversight``: the overseers' dashboard; ``accounts``: sign-in and passwords;
- ``base``: ``run_service`` (a service call → message → redirect, or the Thai refusal on the form
  or in messages), the table page size, the sign-off panel's links; ``confirm``: the confirmation
  page of irreversible actions.
"""
