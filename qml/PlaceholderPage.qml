import QtQuick
import QtQuick.Layouts
import Tautband.Ui

// A page whose workflow is not built yet says so plainly: what it is for,
// and what is missing. No invented data.
Rectangle {
    id: page
    property string title
    property string purpose
    property string notYet

    color: Theme.surface
    radius: Theme.radius

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing * 3 }
        spacing: Theme.spacing * 2

        Text {
            text: page.title
            color: Theme.text
            font.pixelSize: Theme.fontHuge
            font.bold: true
        }
        Text {
            Layout.fillWidth: true
            text: page.purpose
            color: Theme.textMuted
            font.pixelSize: Theme.fontBody
            wrapMode: Text.WordWrap
        }
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: notYetText.implicitHeight + Theme.spacing * 2
            radius: Theme.radius
            color: "transparent"
            border.color: Theme.warning
            border.width: 2
            Text {
                id: notYetText
                objectName: "notYet"
                anchors { fill: parent; margins: Theme.spacing }
                text: qsTr("Not built yet: ") + page.notYet
                color: Theme.warning
                font.pixelSize: Theme.fontBody
                wrapMode: Text.WordWrap
            }
        }
        Item { Layout.fillHeight: true }
    }
}
