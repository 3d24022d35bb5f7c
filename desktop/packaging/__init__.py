"""The desk package: a PyInstaller bundle (one folder) and, on Linux, a .deb made from it.

``python -m desktop.packaging`` builds both into ``dist/`` (needs ``pip install -e ".[package]"``
and, for the .deb, ``dpkg-deb``). The same spec builds the Windows bundle on Windows; the
installer around it is made with Inno Setup (see README, "Windows").
"""
