import QtQuick
import QtQuick.Layouts
import Tautband.Ui

// One screening topic: a big yes/no row (tap anywhere on it) and, while the answer is YES,
// its follow-up in place underneath (the `followUp` children).
Rectangle {
    id: tile
    property string key
    property string label
    property string affects
    property bool yes: false
    default property alias followUp: followUpColumn.data
    signal toggle()

    implicitHeight: column.implicitHeight + Theme.spacing
    radius: Theme.radius
    color: tile.yes ? Qt.rgba(0.95, 0.69, 0.2, 0.15) : Theme.background
    border.color: tile.yes ? Theme.warning : Theme.border
    border.width: 2

    ColumnLayout {
        id: column
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.spacing / 2 }
        spacing: Theme.spacing / 2

        Item {
            objectName: "screen_" + tile.key
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touchTarget + 8
            RowLayout {
                anchors { fill: parent; leftMargin: Theme.spacing / 2; rightMargin: Theme.spacing / 2 }
                Column {
                    Layout.fillWidth: true
                    Text {
                        width: parent.width
                        text: tile.label
                        color: Theme.text
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.WordWrap
                        maximumLineCount: 2
                        elide: Text.ElideRight
                    }
                    Text {
                        text: tile.affects
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall - 3
                    }
                }
                Text {
                    objectName: "screenAnswer_" + tile.key
                    text: tile.yes ? qsTr("YES") : qsTr("no")
                    color: tile.yes ? Theme.warning : Theme.textMuted
                    font.pixelSize: Theme.fontBody
                    font.bold: tile.yes
                }
            }
            MouseArea { anchors.fill: parent; onClicked: tile.toggle() }
        }
        ColumnLayout {
            id: followUpColumn
            visible: tile.yes && children.length > 0
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing / 2
            Layout.rightMargin: Theme.spacing / 2
            Layout.bottomMargin: tile.yes ? Theme.spacing / 2 : 0
            spacing: Theme.spacing / 2
        }
    }
}
