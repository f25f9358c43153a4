pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Log in, first-run setup (the first administrator, or a demo clinic), and
// who is logged in with lock / log out. The E-STOP stays in the shell.
Rectangle {
    id: page
    objectName: "page_login"
    property AuthModel auth: null
    // For "Change password" (any role may change their own).
    property UserAdminModel users: null
    // With the on-screen keyboard up, drop the headings so the fields and
    // the Log in button stay above it.
    readonly property bool compact: KeyboardState.visible

    readonly property int stage: auth ? auth.stage : AuthModel.StoreFailed

    color: Theme.surface
    radius: Theme.radius

    ColumnLayout {
        anchors { top: parent.top; horizontalCenter: parent.horizontalCenter; topMargin: page.compact ? Theme.spacing : Theme.spacing * 3 }
        width: Math.min(parent.width - Theme.spacing * 4, 720)
        spacing: Theme.spacing * 2

        Text {
            Layout.fillWidth: true
            visible: !page.compact
            text: page.stage === AuthModel.NeedsSetup ? qsTr("Set up this console")
                  : page.stage === AuthModel.LoggedIn ? qsTr("Signed in")
                  : qsTr("Log in")
            color: Theme.text
            font.pixelSize: Theme.fontHuge
            font.bold: true
        }
        Text {
            objectName: "loginStageText"
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.textMuted
            font.pixelSize: Theme.fontBody
            text: page.auth === null ? qsTr("The clinic database is not connected to this screen: nobody can log in.")
                  : page.stage === AuthModel.Starting ? qsTr("Opening the clinic database…")
                  : page.stage === AuthModel.StoreFailed ? qsTr("Nobody can log in until the clinic database opens.")
                  : page.stage === AuthModel.NeedsSetup
                    ? qsTr("This console has no users yet. Create the administrator who will add the clinic's staff, or build a demo clinic to try the console.")
                  : page.stage === AuthModel.LoggedIn ? ""
                  : qsTr("Therapists, managers, vendor service staff and administrators sign in with their own account.")
            visible: text.length > 0 && !page.compact
        }

        MessageBanner {
            objectName: "loginMessage"
            Layout.fillWidth: true
            text: page.auth ? page.auth.message : ""
            tone: page.stage === AuthModel.StoreFailed ? Theme.danger : Theme.warning
        }

        // --- Log in --------------------------------------------------------
        // With the keyboard up, login and password sit side by side so the
        // message and the Log in button stay above the keyboard.
        GridLayout {
            visible: page.stage === AuthModel.LoggedOut
            Layout.fillWidth: true
            columns: page.compact ? 2 : 1
            rowSpacing: Theme.spacing
            columnSpacing: Theme.spacing
            FormField {
                id: loginField
                fieldName: "loginField"
                Layout.fillWidth: true
                label: qsTr("Login")
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhPreferLowercase
                onAccepted: passwordField.input.forceActiveFocus()
            }
            FormField {
                id: passwordField
                fieldName: "passwordField"
                Layout.fillWidth: true
                label: qsTr("Password")
                echoMode: TextInput.Password
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText
                onAccepted: logInButton.clicked()
            }
            TouchButton {
                id: logInButton
                objectName: "logInButton"
                Layout.fillWidth: true
                Layout.columnSpan: page.compact ? 2 : 1
                text: page.auth && page.auth.busy ? qsTr("Checking…") : qsTr("Log in")
                tint: Theme.accent
                enabled: page.auth !== null && !page.auth.busy
                onClicked: {
                    page.auth.logIn(loginField.text, passwordField.text)
                    passwordField.text = ""
                }
            }
        }

        // --- First run -----------------------------------------------------
        SetupPanel {
            visible: page.stage === AuthModel.NeedsSetup
            Layout.fillWidth: true
            auth: page.auth
        }

        // --- Demo logins, after the demo clinic was built ---------------------
        ColumnLayout {
            visible: page.auth !== null && page.auth.demoLogins.length > 0 && page.stage === AuthModel.LoggedOut
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
            Text {
                text: qsTr("Demo accounts (this database is for trying the console)")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
            }
            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacing / 2
                Repeater {
                    model: page.auth ? page.auth.demoLogins : []
                    delegate: TouchButton {
                        required property var modelData
                        text: modelData.login + " · " + modelData.role
                        onClicked: {
                            loginField.text = modelData.login
                            passwordField.text = modelData.password
                        }
                    }
                }
            }
        }

        // --- Signed in -------------------------------------------------------
        ColumnLayout {
            visible: page.stage === AuthModel.LoggedIn
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                objectName: "signedInAs"
                Layout.fillWidth: true
                text: page.auth ? page.auth.displayName : ""
                textFormat: Text.PlainText
                color: Theme.text
                font.pixelSize: Theme.fontTitle
                elide: Text.ElideRight
            }
            Text {
                Layout.fillWidth: true
                text: page.auth ? qsTr("Login %1 · role %2 · locks after %3 min without a touch")
                                  .arg(page.auth.login).arg(page.auth.role).arg(Math.round(page.auth.autoLockSeconds / 60)) : ""
                textFormat: Text.PlainText
                color: Theme.textMuted
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                TouchButton {
                    objectName: "lockButton"
                    Layout.fillWidth: true
                    text: qsTr("Lock screen")
                    enabled: page.auth !== null && !page.auth.lockInhibited
                    onClicked: page.auth.lock()
                }
                TouchButton {
                    objectName: "changePasswordButton"
                    Layout.fillWidth: true
                    text: qsTr("Change password")
                    enabled: page.users !== null
                    onClicked: changePassword.open()
                }
                TouchButton {
                    objectName: "logOutButton"
                    Layout.fillWidth: true
                    text: qsTr("Log out")
                    enabled: page.auth !== null && !page.auth.lockInhibited
                    onClicked: page.auth.logOut()
                }
            }
        }
    }

    ChangePasswordDialog {
        id: changePassword
        users: page.users
    }

    onStageChanged: if (stage === AuthModel.LoggedOut) loginField.input.forceActiveFocus()
}
