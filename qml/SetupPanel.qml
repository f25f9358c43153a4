import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// First start with an empty database: create the administrator, or build the
// demo clinic through the CLI's own `tautband-cli demo`.
ColumnLayout {
    id: panel
    property AuthModel auth: null
    objectName: "setupPanel"
    spacing: Theme.spacing

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing
        FormField {
            id: adminLogin
            fieldName: "setupLogin"
            Layout.fillWidth: true
            label: qsTr("Administrator login")
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhPreferLowercase
        }
        FormField {
            id: adminName
            fieldName: "setupName"
            Layout.fillWidth: true
            label: qsTr("Full name")
        }
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing
        FormField {
            id: adminPassword
            fieldName: "setupPassword"
            Layout.fillWidth: true
            label: qsTr("Password (at least 8 characters)")
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText
        }
        FormField {
            id: adminRepeat
            fieldName: "setupRepeat"
            Layout.fillWidth: true
            label: qsTr("Password again")
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText
        }
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing
        TouchButton {
            objectName: "createAdminButton"
            Layout.fillWidth: true
            text: qsTr("Create administrator")
            tint: Theme.accent
            enabled: panel.auth !== null && !panel.auth.busy
            onClicked: {
                panel.auth.createFirstAdmin(adminLogin.text, adminName.text, adminPassword.text, adminRepeat.text)
                adminPassword.text = ""
                adminRepeat.text = ""
            }
        }
        TouchButton {
            objectName: "createDemoButton"
            Layout.fillWidth: true
            visible: panel.auth !== null && panel.auth.demoAvailable
            text: panel.auth && panel.auth.busy ? qsTr("Working…") : qsTr("Create demo clinic")
            enabled: panel.auth !== null && !panel.auth.busy
            onClicked: panel.auth.createDemoClinic()
        }
    }
    Text {
        Layout.fillWidth: true
        visible: panel.auth !== null && panel.auth.demoAvailable
        text: qsTr("The demo clinic adds five staff accounts (passwords shown afterwards), five patients and signed sessions. Use it only on a console that will not hold real patients.")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
    }
}
