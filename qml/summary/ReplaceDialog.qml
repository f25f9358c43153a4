import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Asked when an export's file name is taken. Nothing is replaced unless the
// therapist presses "Replace"; "Keep both" writes a -2, -3... name; closing
// the dialog any other way cancels.
Dialog {
    id: dialog
    property SummaryModel summary: null
    readonly property var conflict: summary ? summary.conflict : ({})
    readonly property bool asking: conflict.path !== undefined

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(720, parent ? parent.width - 2 * Theme.railWidth : 720)
    modal: true
    // Opened and closed from the model's state (a `visible` binding would be
    // broken by the first Escape).
    onAskingChanged: asking ? open() : close()
    closePolicy: Popup.CloseOnEscape
    onRejected: if (asking) summary.resolveConflict("cancel")

    background: Rectangle {
        color: Theme.surfaceRaised
        radius: Theme.radius
        border.color: Theme.warning
        border.width: 2
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        Text {
            text: qsTr("This file already exists")
            color: Theme.text
            font.pixelSize: Theme.fontTitle
            font.bold: true
        }
        Text {
            objectName: "replaceQuestion"
            Layout.fillWidth: true
            text: qsTr("%1 is already in this folder. Keep both (the new one as %2), replace the old one, or cancel?")
                      .arg(dialog.conflict.fileName || "").arg(dialog.conflict.keepBothName || "")
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.text
            font.pixelSize: Theme.fontBody
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            TouchButton {
                objectName: "conflictCancel"
                Layout.fillWidth: true
                text: qsTr("Cancel")
                tint: Theme.accent
                onClicked: dialog.summary.resolveConflict("cancel")
            }
            TouchButton {
                objectName: "conflictKeepBoth"
                Layout.fillWidth: true
                text: qsTr("Keep both")
                onClicked: dialog.summary.resolveConflict("keep")
            }
            TouchButton {
                objectName: "conflictReplace"
                Layout.fillWidth: true
                text: qsTr("Replace")
                tint: Theme.danger
                onClicked: dialog.summary.resolveConflict("replace")
            }
        }
    }
}
