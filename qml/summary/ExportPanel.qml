pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Where to (the clinic's export folder or a USB stick) and what (one button
// per export). The export runs in the background; the bar shows how far it
// got and the line below says what was written, or why not, in words.
Rectangle {
    id: panel
    property SummaryModel summary: null
    readonly property bool busy: summary !== null && summary.exporting

    color: Theme.background
    radius: Theme.radius
    border.color: Theme.border

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing }
        spacing: Theme.spacing / 2

        Text {
            text: qsTr("Export to")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
            TouchComboBox {
                id: folderBox
                objectName: "folderChooser"
                Layout.fillWidth: true
                model: panel.summary ? panel.summary.folders : []
                textRole: "label"
                valueRole: "path"
                currentIndex: panel.summary ? indexOfValue(panel.summary.folder) : -1
                displayText: currentIndex >= 0 ? currentText : (panel.summary ? panel.summary.folder : "")
                enabled: !panel.busy
                onActivated: index => panel.summary.folder = folderBox.valueAt(index)
                delegate: ItemDelegate {
                    id: folderItem
                    required property var modelData
                    width: folderBox.width
                    height: Theme.touchTarget + 16
                    enabled: modelData.writable
                    contentItem: Column {
                        spacing: 2
                        Text {
                            text: folderItem.modelData.label
                            textFormat: Text.PlainText
                            color: Theme.text
                            font.pixelSize: Theme.fontBody
                        }
                        Text {
                            width: folderItem.width - 2 * Theme.spacing
                            text: folderItem.modelData.detail
                            textFormat: Text.PlainText
                            color: Theme.textMuted
                            font.pixelSize: 13
                            elide: Text.ElideMiddle
                        }
                    }
                }
            }
            TouchButton {
                objectName: "refreshFolders"
                text: "⟳"
                implicitWidth: Theme.touchTarget
                enabled: !panel.busy
                onClicked: panel.summary.refreshFolders()
            }
        }
        Text {
            objectName: "folderPath"
            Layout.fillWidth: true
            text: panel.summary ? panel.summary.folder : ""
            textFormat: Text.PlainText
            color: Theme.textMuted
            font.pixelSize: 13
            elide: Text.ElideMiddle
        }

        GridLayout {
            Layout.fillWidth: true
            columns: 2
            rowSpacing: Theme.spacing / 2
            columnSpacing: Theme.spacing / 2
            Repeater {
                model: panel.summary ? panel.summary.exportKinds : []
                delegate: TouchButton {
                    required property string modelData
                    objectName: "export_" + modelData
                    Layout.fillWidth: true
                    implicitWidth: Theme.touchTarget * 2
                    text: panel.summary.kindTitle(modelData)
                    font.pixelSize: Theme.fontSmall
                    tint: modelData === "pdf" ? Theme.accent : Theme.surfaceRaised
                    enabled: panel.summary.loaded && !panel.busy && Object.keys(panel.summary.conflict).length === 0
                    onClicked: panel.summary.exportAs(modelData)
                }
            }
        }

        ProgressBar {
            objectName: "exportProgress"
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacing / 2
            implicitHeight: 12
            visible: panel.busy
            from: 0
            to: 1
            value: panel.summary ? panel.summary.exportProgress : 0
        }
        Text {
            objectName: "exportStage"
            Layout.fillWidth: true
            visible: panel.busy
            text: panel.summary ? qsTr("%1: %2…").arg(panel.summary.kindTitle(panel.summary.exportKind)).arg(panel.summary.exportStage) : ""
            textFormat: Text.PlainText
            color: Theme.textMuted
            font.pixelSize: 14
            elide: Text.ElideRight
        }
        Text {
            objectName: "exportResult"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !panel.busy && text.length > 0
            text: panel.summary ? panel.summary.exportMessage : ""
            textFormat: Text.PlainText
            wrapMode: Text.WrapAnywhere
            verticalAlignment: Text.AlignTop
            color: panel.summary && panel.summary.exportOk ? Theme.ok : Theme.warning
            font.pixelSize: 15
        }
        Item { Layout.fillHeight: true; visible: panel.busy }
    }
}
