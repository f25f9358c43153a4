pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// User administration for managers and administrators: accounts and roles,
// activation, password resets, practitioner credentials with expiry.
Rectangle {
    id: page
    objectName: "page_users"
    property AuthModel auth: null
    property UserAdminModel users: null

    property int selectedRow: -1
    property var selected: ({})
    property string newRole: "therapist"
    property string credentialKind: "dry-needling"

    color: Theme.surface
    radius: Theme.radius
    // The shell hands the services over after the page is created.
    readonly property bool ready: auth !== null && users !== null
    onReadyChanged: if (ready && auth.can("manage-users")) users.refresh()

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing * 2 }
        spacing: Theme.spacing

        Text {
            text: qsTr("Users")
            color: Theme.text
            font.pixelSize: Theme.fontHuge
            font.bold: true
        }
        MessageBanner {
            objectName: "usersMessage"
            Layout.fillWidth: true
            text: page.users ? page.users.message : qsTr("The clinic database is not connected to this screen.")
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing * 2

            ListView {
                id: list
                objectName: "userList"
                Layout.preferredWidth: 430
                Layout.fillHeight: true
                clip: true
                spacing: 4
                model: page.users
                delegate: Rectangle {
                    id: row
                    required property int index
                    required property int userId
                    required property string login
                    required property string displayName
                    required property string role
                    required property bool active
                    required property string credentials
                    width: ListView.view.width
                    height: 68
                    radius: Theme.radius
                    color: row.index === page.selectedRow ? Theme.accent : Theme.surfaceRaised
                    opacity: row.active ? 1 : 0.55
                    Column {
                        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.spacing }
                        Text {
                            width: parent.width
                            text: row.displayName
                            textFormat: Text.PlainText
                            color: Theme.text
                            font.pixelSize: Theme.fontBody
                            elide: Text.ElideRight
                        }
                        Text {
                            width: parent.width
                            text: row.login + " · " + row.role + (row.active ? "" : qsTr(" · deactivated"))
                                  + (row.credentials.length > 0 ? " · " + row.credentials : "")
                            textFormat: Text.PlainText
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSmall
                            elide: Text.ElideRight
                        }
                    }
                    MouseArea {
                        anchors.fill: parent
                        onClicked: {
                            page.selectedRow = row.index
                            page.selected = { userId: row.userId, login: row.login, displayName: row.displayName,
                                              role: row.role, active: row.active }
                        }
                    }
                }
            }

            ScrollView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                contentWidth: availableWidth
                ColumnLayout {
                    width: parent.width
                    spacing: Theme.spacing

                    // New account.
                    Text { text: qsTr("New account"); color: Theme.text; font.pixelSize: Theme.fontTitle }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacing
                        FormField { id: newLogin; fieldName: "newUserLogin"; Layout.fillWidth: true; label: qsTr("Login")
                                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhPreferLowercase }
                        FormField { id: newName; fieldName: "newUserName"; Layout.fillWidth: true; label: qsTr("Full name") }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacing / 2
                        Repeater {
                            model: page.users ? page.users.assignableRoles : []
                            delegate: TouchButton {
                                required property string modelData
                                objectName: "newRole_" + modelData
                                Layout.fillWidth: true
                                text: modelData
                                tint: page.newRole === modelData ? Theme.accent : Theme.surfaceRaised
                                onClicked: page.newRole = modelData
                            }
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacing
                        FormField { id: newPassword; fieldName: "newUserPassword"; Layout.fillWidth: true
                                    label: qsTr("Initial password (8+ characters)"); echoMode: TextInput.Password
                                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText }
                        TouchButton {
                            objectName: "createUser"
                            Layout.alignment: Qt.AlignBottom
                            text: qsTr("Create")
                            tint: Theme.accent
                            enabled: page.users !== null && !page.users.busy
                            onClicked: {
                                page.users.createUser(newLogin.text, newName.text, page.newRole, newPassword.text)
                                newPassword.text = ""
                            }
                        }
                    }

                    // The selected account.
                    Rectangle { Layout.fillWidth: true; height: 2; color: Theme.border; visible: page.selectedRow >= 0 }
                    Text {
                        visible: page.selectedRow >= 0
                        Layout.fillWidth: true
                        text: (page.selected.displayName || "") + " (" + (page.selected.login || "") + ")"
                        textFormat: Text.PlainText
                        color: Theme.text
                        font.pixelSize: Theme.fontTitle
                        elide: Text.ElideRight
                    }
                    RowLayout {
                        visible: page.selectedRow >= 0
                        Layout.fillWidth: true
                        spacing: Theme.spacing
                        TouchButton {
                            objectName: "toggleActive"
                            text: page.selected.active ? qsTr("Deactivate") : qsTr("Activate")
                            enabled: page.users !== null && !page.users.busy
                            onClicked: page.users.setActive(page.selected.userId, !page.selected.active)
                        }
                        FormField { id: resetField; fieldName: "resetPassword"; Layout.fillWidth: true
                                    placeholderText: qsTr("new password"); echoMode: TextInput.Password
                                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText }
                        TouchButton {
                            objectName: "resetPasswordButton"
                            text: qsTr("Reset password")
                            enabled: page.users !== null && !page.users.busy && resetField.text.length > 0
                            onClicked: {
                                page.users.resetPassword(page.selected.userId, resetField.text)
                                resetField.text = ""
                            }
                        }
                    }
                    ColumnLayout {
                        visible: page.selectedRow >= 0 && page.users !== null && page.users.canManageCredentials
                                 && page.selected.role === "therapist"
                        Layout.fillWidth: true
                        spacing: Theme.spacing / 2
                        Text { text: qsTr("Add a practitioner credential"); color: Theme.textMuted; font.pixelSize: Theme.fontSmall }
                        RowLayout {
                            Layout.fillWidth: true
                            spacing: Theme.spacing / 2
                            Repeater {
                                model: ["dry-needling", "laser", "e-stim"]
                                delegate: TouchButton {
                                    required property string modelData
                                    Layout.fillWidth: true
                                    text: modelData
                                    tint: page.credentialKind === modelData ? Theme.accent : Theme.surfaceRaised
                                    onClicked: page.credentialKind = modelData
                                }
                            }
                        }
                        RowLayout {
                            Layout.fillWidth: true
                            spacing: Theme.spacing
                            FormField { id: reference; fieldName: "credentialReference"; Layout.fillWidth: true; placeholderText: qsTr("certificate number") }
                            FormField { id: issued; fieldName: "credentialIssued"; Layout.preferredWidth: 160; placeholderText: qsTr("issued YYYY-MM-DD"); inputMethodHints: Qt.ImhDate }
                            FormField { id: expires; fieldName: "credentialExpires"; Layout.preferredWidth: 160; placeholderText: qsTr("expires YYYY-MM-DD"); inputMethodHints: Qt.ImhDate }
                        }
                        TouchButton {
                            objectName: "addCredential"
                            Layout.fillWidth: true
                            text: qsTr("Add credential")
                            enabled: page.users !== null && !page.users.busy
                            onClicked: page.users.addCredential(page.selected.userId, page.credentialKind, reference.text, issued.text, expires.text)
                        }
                    }
                }
            }
        }
    }
}
