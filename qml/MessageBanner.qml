import QtQuick
import Tautband.Ui

// One sentence of feedback (errors, refusals, confirmations), shown as plain
// text so nothing typed by a user can turn into markup.
Rectangle {
    id: banner
    property string text
    property color tone: Theme.warning

    visible: text.length > 0
    implicitHeight: visible ? label.implicitHeight + Theme.spacing * 2 : 0
    radius: Theme.radius
    color: Qt.rgba(tone.r, tone.g, tone.b, 0.14)
    border.color: tone
    border.width: 2

    Text {
        id: label
        objectName: banner.objectName.length > 0 ? banner.objectName + "Text" : ""
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.spacing }
        text: banner.text
        textFormat: Text.PlainText
        color: Theme.text
        font.pixelSize: Theme.fontBody
        wrapMode: Text.Wrap
    }
}
