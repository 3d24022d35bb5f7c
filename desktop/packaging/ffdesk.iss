; Inno Setup script of the Windows installer around the bundle in dist\ffdesk (PyInstaller).
; Not tried here (no Windows machine in CI); the steps are in README.md, "Windows".
;   iscc /DAppVersion=0.1.0 desktop\packaging\ffdesk.iss   ->  dist\ffdesk-0.1.0-setup.exe
; The user's data (%LOCALAPPDATA%\ffdesk: database, settings, logs, backups) is never removed.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1B7C1E-2D0A-4E55-9A57-FFDE5C000001}
AppName=生育友好服务台
AppVersion={#AppVersion}
AppPublisher=ffdesk
DefaultDirName={autopf}\ffdesk
DefaultGroupName=生育友好服务台
UninstallDisplayIcon={app}\ffdesk-desk.exe
OutputDir=..\..\dist
OutputBaseFilename=ffdesk-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\ffdesk.ico
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; Flags: unchecked

[Files]
Source: "..\..\dist\ffdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\生育友好服务台"; Filename: "{app}\ffdesk-desk.exe"
Name: "{group}\卸载 生育友好服务台"; Filename: "{uninstallexe}"
Name: "{autodesktop}\生育友好服务台"; Filename: "{app}\ffdesk-desk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\ffdesk-desk.exe"; Description: "启动 生育友好服务台"; Flags: nowait postinstall skipifsilent
