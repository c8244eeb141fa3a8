; 物业管理处办公系统: the Windows installer around the PyInstaller folder (build_installer.spec).
;
;   makensis /DVERSION=0.1.0 installer\estate-office.nsi
;   makensis /DVERSION=0.1.0 /DSOURCE=D:\build\estate-office /DOUTFILE=D:\setup.exe installer\estate-office.nsi
;
; VERSION (required, x.y.z): the version from pyproject.toml. SOURCE: the bundle folder
; (default ..\dist\estate-office from this folder). OUTFILE: the installer to write (default
; dist\estate-office-setup-VERSION.exe). NOCOMPRESS: store the files uncompressed (CI).
;
; Installs for the current user only, without administrator rights, into
; %LOCALAPPDATA%\Programs\EstateOffice, with Start-menu and desktop shortcuts and an entry in
; 应用和功能. The office's data lives elsewhere, in %LOCALAPPDATA%\EstateOffice (app/paths.py):
; neither installing a new version nor uninstalling touches it.

Unicode true
!ifdef NOCOMPRESS  ; CI: proves the script compiles, in seconds instead of minutes
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !error "请用 /DVERSION=x.y.z 给出版本号（pyproject.toml 中的 version）"
!endif
!searchparse /noerrors "${VERSION}" "" VERSION_MAJOR "." VERSION_MINOR "." VERSION_PATCH
!ifndef VERSION_PATCH
  !error "版本号应为 x.y.z 三段数字，收到的是 ${VERSION}"
!endif
!ifndef SOURCE
  !define SOURCE "../dist/estate-office"
!endif
!ifndef OUTFILE
  !define OUTFILE "../dist/estate-office-setup-${VERSION}.exe"
!endif

!define APP_NAME "物业管理处办公系统"
!define APP_ID "EstateOffice"
!define APP_EXE "estate-office.exe"
!define CLI_EXE "estate-office-cli.exe"  ; the same program with a console, for the commands
!define PUBLISHER "物业管理处"
!define DATA_DIR "$LOCALAPPDATA\${APP_ID}"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define ICON "../resources/icons/estate-office.ico"

!include "MUI2.nsh"
!include "FileFunc.nsh"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "Software\${APP_ID}" "InstallDir"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION_MAJOR}.${VERSION_MINOR}.${VERSION_PATCH}.0"
VIFileVersion "${VERSION_MAJOR}.${VERSION_MINOR}.${VERSION_PATCH}.0"

; ----- pages, in Simplified Chinese
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "将在本电脑上为当前用户安装${APP_NAME} ${VERSION}，不需要管理员权限。$\r$\n$\r$\n\
  办公数据保存在 ${DATA_DIR}，安装新版本不会改动这些数据。$\r$\n$\r$\n\
  安装前请先关闭正在运行的${APP_NAME}。$\r$\n$\r$\n单击“下一步”继续。"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即打开${APP_NAME}"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从本电脑删除${APP_NAME}的程序文件和快捷方式。$\r$\n\
  办公数据（数据库、备份、导出和打印的文件）保存在 ${DATA_DIR}，不会删除；重新安装后可继续使用。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "${PUBLISHER}"

; ----- install
Section "${APP_NAME}" SecProgram
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; a new version replaces the old program files entirely (never the data folder)
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE}/*"
  File "/oname=estate-office.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\estate-office.ico"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\estate-office.ico"

  WriteRegStr HKCU "Software\${APP_ID}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\estate-office.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
  DetailPrint "办公数据文件夹：${DATA_DIR}（首次打开程序时创建）"
SectionEnd

; ----- uninstall: the program files and shortcuts only; the data folder stays
Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  ; only what the installer put there, in case the folder was chosen by hand
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\estate-office.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP_ID}"
  DetailPrint "办公数据仍保存在 ${DATA_DIR}，没有删除。"
SectionEnd
