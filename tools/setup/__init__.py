"""What `make` calls to set the project up (shell scripts and the JupyterLab server setting)."""
