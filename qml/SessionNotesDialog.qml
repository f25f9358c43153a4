pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// The current session's notes: write and save notes while the record is
// open; sign it with your password once the session has ended (21 CFR Part 11
// §11.200); after the sign-off the notes are final and read-only, and a change
// is an addendum with a reason, listed with its author and time. A Popup below
// the E-STOP; it shrinks above the on-screen keyboard while that is up.
Popup {
    id: dialog
    property AuthModel auth: null
    property SessionModel session: null

    readonly property bool signed: session !== null && session.state === "signed"
    readonly property bool canSign: session !== null && session.state === "ended" && auth !== null && auth.can("sign-note")
    readonly property real keyboardHeight: KeyboardState.height
    // Text areas: two lines, one while the on-screen keyboard takes the lower half.
    readonly property real draftHeight: keyboardHeight > 0 ? Theme.touchTarget : Theme.touchTarget * 2

    objectName: "sessionNotesDialog"
    parent: Overlay.overlay
    z: 800000
    modal: true
    dim: true
    focus: true
    closePolicy: Popup.NoAutoClose
    x: Theme.railWidth
    y: Theme.statusBarHeight
    width: (parent ? parent.width : 1280) - Theme.railWidth - Theme.spacing
    height: Math.max(240, (parent ? parent.height : 800) - y - Theme.spacing - keyboardHeight)
    padding: Theme.spacing * 2

    onOpened: {
        draft.text = ""
        addendumReason.text = ""
        addendumBody.text = ""
        signPassword.text = ""
        if (session)
            session.refreshNotes()
    }

    background: Rectangle {
        radius: Theme.radius
        color: Theme.surfaceRaised
        border.color: dialog.signed ? Theme.ok : Theme.accent
        border.width: 3
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                Layout.fillWidth: true
                text: dialog.session ? qsTr("Notes · session %1 · %2").arg(dialog.session.sessionId).arg(dialog.session.patientLabel) : ""
                textFormat: Text.PlainText
                color: Theme.text
                font.pixelSize: Theme.fontTitle
                font.bold: true
                elide: Text.ElideRight
            }
            TouchButton {
                objectName: "closeNotes"
                text: qsTr("Close")
                onClicked: dialog.close()
            }
        }
        Text {
            objectName: "signedText"
            Layout.fillWidth: true
            visible: dialog.signed
            text: dialog.session ? qsTr("Signed on %1 by %2. The notes are final; a change is an addendum.")
                                   .arg(dialog.session.signedAt).arg(dialog.session.signedBy) : ""
            textFormat: Text.PlainText
            color: Theme.ok
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
        MessageBanner {
            objectName: "notesMessage"
            Layout.fillWidth: true
            text: dialog.session ? dialog.session.message : ""
        }

        // Saved notes then addenda, oldest first.
        ListView {
            id: entries
            objectName: "noteList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: Theme.touchTarget
            clip: true
            spacing: Theme.spacing / 2
            boundsBehavior: Flickable.StopAtBounds
            // Notes first, then addenda (a plain loop: qmllint cannot type concat() on a list).
            model: {
                const list = []
                if (!dialog.session)
                    return list
                for (const note of dialog.session.notes)
                    list.push(note)
                for (const addendum of dialog.session.addenda)
                    list.push(addendum)
                return list
            }
            ScrollBar.vertical: ScrollBar { width: Theme.spacing * 2 }
            delegate: Rectangle {
                id: entry
                required property var modelData
                readonly property bool addendum: modelData.kind === "addendum"
                readonly property string suffix: "_" + modelData.number
                width: ListView.view.width - Theme.spacing * 2
                implicitHeight: entryColumn.implicitHeight + Theme.spacing * 2
                radius: Theme.radius
                color: Theme.surface
                border.color: addendum ? Theme.warning : Theme.border
                Column {
                    id: entryColumn
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.spacing }
                    spacing: 4
                    Text {
                        objectName: (entry.addendum ? "addendumMeta" : "noteMeta") + entry.suffix
                        width: parent.width
                        text: (entry.addendum ? qsTr("%1 · addendum by %2") : qsTr("%1 · note by %2"))
                              .arg(entry.modelData.time).arg(entry.modelData.author)
                        textFormat: Text.PlainText
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                        elide: Text.ElideRight
                    }
                    Text {
                        objectName: entry.addendum ? "addendumReason" + entry.suffix : ""
                        visible: entry.addendum
                        width: parent.width
                        text: qsTr("Reason: ") + entry.modelData.reason
                        textFormat: Text.PlainText
                        color: Theme.warning
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.Wrap
                    }
                    Text {
                        objectName: (entry.addendum ? "addendumBody" : "noteBody") + entry.suffix
                        width: parent.width
                        text: entry.modelData.body
                        textFormat: Text.PlainText
                        color: Theme.text
                        font.pixelSize: Theme.fontBody
                        wrapMode: Text.Wrap
                    }
                }
            }
        }

        // --- While the record is open: write notes ------------------------------
        RowLayout {
            visible: dialog.session !== null && dialog.session.notesEditable
            Layout.fillWidth: true
            spacing: Theme.spacing
            ScrollView {
                Layout.fillWidth: true
                Layout.preferredHeight: dialog.draftHeight
                TextArea {
                    id: draft
                    objectName: "noteDraft"
                    placeholderText: qsTr("Write the note for this session")
                    wrapMode: TextEdit.Wrap
                    textFormat: TextEdit.PlainText
                    font.pixelSize: Theme.fontBody
                    color: Theme.text
                    background: Rectangle { color: Theme.background; radius: Theme.radius; border.color: draft.activeFocus ? Theme.accent : Theme.border; border.width: 2 }
                }
            }
            TouchButton {
                objectName: "saveNote"
                text: qsTr("Save note")
                tint: Theme.accent
                enabled: dialog.session !== null && !dialog.session.busy && draft.text.length > 0
                onClicked: {
                    dialog.session.addNote(draft.text)
                    draft.text = ""
                }
            }
        }

        // --- Ended, not signed: sign with your password ---------------------
        RowLayout {
            visible: dialog.session !== null && dialog.session.state === "ended"
            Layout.fillWidth: true
            spacing: Theme.spacing
            FormField {
                id: signPassword
                fieldName: "signPassword"
                Layout.fillWidth: true
                placeholderText: qsTr("Your password, to sign")
                echoMode: TextInput.Password
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhHiddenText
                onAccepted: if (signButton.enabled) signButton.clicked()
            }
            TouchButton {
                id: signButton
                objectName: "signNotes"
                text: dialog.session && dialog.session.busy ? qsTr("Checking…") : qsTr("Sign record")
                tint: Theme.accent
                enabled: dialog.canSign && !dialog.session.busy && signPassword.text.length > 0
                onClicked: {
                    dialog.session.signOff(signPassword.text)
                    signPassword.text = ""
                }
            }
        }

        // --- Signed: addenda only ------------------------------------------------
        ColumnLayout {
            visible: dialog.signed
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
            FormField {
                id: addendumReason
                fieldName: "addendumReason"
                Layout.fillWidth: true
                placeholderText: qsTr("Reason for the addendum")
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                ScrollView {
                    Layout.fillWidth: true
                    Layout.preferredHeight: dialog.draftHeight
                    TextArea {
                        id: addendumBody
                        objectName: "addendumDraft"
                        placeholderText: qsTr("Addendum text")
                        wrapMode: TextEdit.Wrap
                        textFormat: TextEdit.PlainText
                        font.pixelSize: Theme.fontBody
                        color: Theme.text
                        background: Rectangle { color: Theme.background; radius: Theme.radius; border.color: addendumBody.activeFocus ? Theme.accent : Theme.border; border.width: 2 }
                    }
                }
                TouchButton {
                    objectName: "saveAddendum"
                    text: qsTr("Add addendum")
                    tint: Theme.accent
                    enabled: dialog.session !== null && !dialog.session.busy && addendumReason.text.trim().length > 0
                             && addendumBody.text.length > 0
                    onClicked: {
                        dialog.session.addAddendum(addendumReason.text, addendumBody.text)
                        addendumReason.text = ""
                        addendumBody.text = ""
                    }
                }
            }
        }
    }
}
