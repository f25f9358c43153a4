import QtQuick
import QtQuick.Controls
import Tautband.Ui

// A labelled text field sized for a gloved finger. Text comes from the
// virtual keyboard; what is typed is kept exactly as typed. An Item with an
// explicit implicit size, so layouts never have to wait for a positioner.
Item {
    id: field
    property alias label: caption.text
    property alias text: input.text
    property alias placeholderText: input.placeholderText
    property alias echoMode: input.echoMode
    property alias inputMethodHints: input.inputMethodHints
    property alias maximumLength: input.maximumLength
    property alias input: input
    property string fieldName
    signal accepted()

    implicitWidth: 240
    implicitHeight: (caption.text.length > 0 ? caption.implicitHeight + 4 : 0) + Theme.touchTarget

    Text {
        id: caption
        anchors { left: parent.left; right: parent.right; top: parent.top }
        visible: text.length > 0
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        textFormat: Text.PlainText
        elide: Text.ElideRight
    }
    TextField {
        id: input
        objectName: field.fieldName
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Theme.touchTarget
        font.pixelSize: Theme.fontBody
        color: Theme.text
        placeholderTextColor: Theme.textMuted
        selectByMouse: true
        onAccepted: field.accepted()
        background: Rectangle {
            radius: Theme.radius
            color: Theme.background
            border.color: input.activeFocus ? Theme.accent : Theme.border
            border.width: 2
        }
    }
}
