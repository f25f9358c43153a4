pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// The treatment session at a glance: which patient, state, session clock and
// the one or two next steps (pause/resume, end, sign). Sessions a crash left
// unfinished are offered for reopening here.
Rectangle {
    id: panel
    property AuthModel auth: null
    property SessionModel session: null

    readonly property bool hasUnfinished: session !== null && !session.active && session.unfinished.length > 0
    objectName: "sessionPanel"
    visible: session !== null && (session.active || hasUnfinished || session.message.length > 0)
    implicitHeight: visible ? content.implicitHeight + Theme.spacing * 2 : 0
    radius: Theme.radius
    color: Theme.surfaceRaised
    border.color: session && session.active && session.state === "open" ? Theme.ok
                  : hasUnfinished ? Theme.warning : Theme.border
    border.width: 2

    function clockText(ms) {
        const s = Math.floor(ms / 1000)
        const pad = n => (n < 10 ? "0" : "") + n
        return pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60)
    }

    ColumnLayout {
        id: content
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.spacing }
        spacing: Theme.spacing / 2

        RowLayout {
            visible: panel.session !== null && panel.session.active
            Layout.fillWidth: true
            spacing: Theme.spacing
            Column {
                Layout.fillWidth: true
                Text {
                    objectName: "sessionTitle"
                    width: parent.width
                    text: panel.session ? qsTr("Session %1 · %2").arg(panel.session.sessionId).arg(panel.session.patientLabel) : ""
                    textFormat: Text.PlainText
                    color: Theme.text
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    elide: Text.ElideRight
                }
                Text {
                    objectName: "sessionState"
                    text: panel.session ? (panel.session.state + (panel.session.recovered ? qsTr(" · reopened after an interruption") : "")
                                           + qsTr(" · %n note(s)", "", panel.session.notes.length)
                                           + (panel.session.addenda.length > 0 ? qsTr(" · %n addend(a)", "", panel.session.addenda.length) : "")) : ""
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
            }
            Text {
                text: panel.session ? panel.clockText(panel.session.clockMs) : ""
                color: Theme.text
                font.pixelSize: Theme.fontTitle
                font.family: "DejaVu Sans Mono"
            }
            TouchButton {
                objectName: "pauseSession"
                visible: panel.session !== null && (panel.session.state === "open" || panel.session.state === "paused")
                text: panel.session && panel.session.state === "paused" ? qsTr("Resume") : qsTr("Pause")
                enabled: panel.session !== null && !panel.session.busy
                onClicked: panel.session.state === "paused" ? panel.session.resume() : panel.session.pause()
            }
            TouchButton {
                objectName: "endSession"
                visible: panel.session !== null && (panel.session.state === "open" || panel.session.state === "paused")
                text: qsTr("End session")
                enabled: panel.session !== null && !panel.session.busy
                onClicked: panel.session.end()
            }
            TouchButton {
                objectName: "openNotes"
                text: panel.session && panel.session.state === "ended" ? qsTr("Notes & sign")
                      : panel.session && panel.session.state === "signed" ? qsTr("Notes & addenda") : qsTr("Notes")
                tint: panel.session && panel.session.state === "ended" ? Theme.accent : Theme.surfaceRaised
                onClicked: notesDialog.open()
            }
            TouchButton {
                objectName: "closeSession"
                visible: panel.session !== null && panel.session.state === "signed"
                text: qsTr("Close")
                onClicked: panel.session.close()
            }
        }

        // What a crash recovery brought back, until the session is closed.
        Text {
            objectName: "recoveryText"
            Layout.fillWidth: true
            visible: text.length > 0
            text: panel.session && panel.session.active ? panel.session.recoveryText : ""
            textFormat: Text.PlainText
            color: Theme.warning
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }

        Repeater {
            model: panel.hasUnfinished ? panel.session.unfinished : []
            delegate: RowLayout {
                id: offer
                required property var modelData
                Layout.fillWidth: true
                spacing: Theme.spacing
                Text {
                    Layout.fillWidth: true
                    text: qsTr("Unfinished session %1 (patient %2), started %3, %4 min recorded — the console stopped before it ended.")
                          .arg(offer.modelData.sessionId).arg(offer.modelData.patientId)
                          .arg(offer.modelData.started).arg(offer.modelData.clockMinutes)
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.WordWrap
                }
                TouchButton {
                    objectName: "recoverSession_" + offer.modelData.sessionId
                    text: qsTr("Reopen")
                    tint: Theme.accent
                    enabled: panel.session !== null && !panel.session.busy
                    onClicked: panel.session.recover(offer.modelData.sessionId)
                }
            }
        }

        Text {
            objectName: "sessionMessage"
            Layout.fillWidth: true
            visible: text.length > 0
            text: panel.session ? panel.session.message : ""
            textFormat: Text.PlainText
            color: Theme.warning
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
    }

    SessionNotesDialog {
        id: notesDialog
        auth: panel.auth
        session: panel.session
    }
}
