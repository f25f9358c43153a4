pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Tautband.Models
import Tautband.Ui

// Every event of the timeline in words, then the notes, adverse events and
// addenda, all as plain text (names and notes are shown exactly as typed).
Item {
    id: list
    property SummaryModel summary: null

    Rectangle {
        anchors.fill: parent
        color: Theme.background
        radius: Theme.radius
        border.color: Theme.border
    }

    ListView {
        id: view
        objectName: "eventView"
        anchors { fill: parent; margins: Theme.spacing / 2 }
        clip: true
        spacing: 2
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { width: 14 }
        model: list.summary ? list.summary.events : []
        delegate: Text {
            required property var modelData
            required property int index
            objectName: "event_" + index
            width: view.width - 16
            // Timeline entries carry a clock; notes carry author and time.
            text: modelData.clock !== undefined ? modelData.clock + "   " + modelData.text
                                                : modelData.when + " · " + modelData.author + "\n" + modelData.body
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            maximumLineCount: modelData.clock !== undefined ? 2 : 1000
            elide: Text.ElideRight
            color: modelData.severity === "danger" ? Theme.danger
                   : modelData.severity === "warning" ? Theme.warning : Theme.text
            font.pixelSize: Theme.fontSmall
        }
    }
}
