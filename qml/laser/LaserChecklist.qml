pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Tautband.Ui

// The arming checklist: each item's state, where it comes from (the device, you, or the
// rules) and, when it does not hold, which rule or what is missing, in words.
ListView {
    id: list
    property var items: []

    clip: true
    spacing: 4
    model: list.items
    boundsBehavior: Flickable.StopAtBounds

    delegate: Rectangle {
        id: row
        required property var modelData
        objectName: "checkItem_" + row.modelData.key
        width: ListView.view.width
        height: content.implicitHeight + 10
        radius: 6
        color: row.modelData.holds ? "#173526" : "#3a1a1c"
        border.color: row.modelData.holds ? Theme.ok : Theme.danger
        border.width: 1

        RowLayout {
            id: content
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 6 }
            spacing: 6
            Text {
                text: row.modelData.holds ? "✓" : "✗"
                color: row.modelData.holds ? Theme.ok : Theme.danger
                font.pixelSize: Theme.fontBody
                font.bold: true
                Layout.alignment: Qt.AlignTop
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                RowLayout {
                    Layout.fillWidth: true
                    Text {
                        text: row.modelData.label
                        color: Theme.text
                        font.pixelSize: Theme.fontSmall
                        font.bold: true
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Rectangle {
                        radius: 4
                        color: Theme.background
                        implicitWidth: sourceText.implicitWidth + 8
                        implicitHeight: sourceText.implicitHeight + 2
                        Text {
                            id: sourceText
                            anchors.centerIn: parent
                            text: row.modelData.source
                            color: Theme.textMuted
                            font.pixelSize: Theme.fontSmall - 4
                        }
                    }
                }
                Text {
                    objectName: "detail"
                    text: row.modelData.detail
                    visible: !row.modelData.holds
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall - 3
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
            }
        }
    }
}
