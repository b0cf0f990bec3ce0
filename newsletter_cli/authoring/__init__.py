"""Helping people write: `newsletter new` and `init`, YAML written safely, mistakes explained.

Import the submodules directly: new_issue, init_project, yamltext, yamlhints, fieldhints.
"""
