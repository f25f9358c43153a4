import QtQuick
import QtQuick.Layouts
import Tautband.Ui

// One screening topic, three states: unanswered ("?", neutral), no, YES. Two large targets
// (No / Yes), never a cycle: an untouched tile is no answer and the form will not save it.
// While the answer is YES its follow-up shows in place underneath (the `followUp` children).
Rectangle {
    id: tile
    property string key
    property string label
    property string affects
    // -1 unanswered, 0 no, 1 yes
    property int answer: -1
    readonly property bool yes: answer === 1
    default property alias followUp: followUpColumn.data
    signal answered(bool yes)

    implicitHeight: column.implicitHeight + Theme.spacing
    radius: Theme.radius
    color: tile.yes ? Qt.rgba(0.95, 0.69, 0.2, 0.15) : Theme.background
    border.color: tile.yes ? Theme.warning : tile.answer < 0 ? Theme.textMuted : Theme.border
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
                    Layout.preferredWidth: Theme.touchTarget
                    horizontalAlignment: Text.AlignHCenter
                    text: tile.answer < 0 ? "?" : tile.yes ? qsTr("YES") : qsTr("no")
                    color: tile.yes ? Theme.warning : tile.answer < 0 ? Theme.text : Theme.textMuted
                    font.pixelSize: Theme.fontBody
                    font.bold: tile.answer !== 0
                }
                TouchButton {
                    objectName: "screenNo_" + tile.key
                    text: qsTr("No")
                    Layout.preferredWidth: Theme.touchTarget * 1.6
                    tint: tile.answer === 0 ? Theme.border : Theme.surfaceRaised
                    onClicked: tile.answered(false)
                }
                TouchButton {
                    objectName: "screenYes_" + tile.key
                    text: qsTr("Yes")
                    Layout.preferredWidth: Theme.touchTarget * 1.6
                    tint: tile.yes ? Theme.warning : Theme.surfaceRaised
                    onClicked: tile.answered(true)
                }
            }
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
