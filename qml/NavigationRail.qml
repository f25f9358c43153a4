import QtQuick
import QtQuick.Controls
import Tautband.Ui

// Big, gloved-finger-sized buttons for the brief's screens.
Rectangle {
    id: rail
    property var pages: []
    property int currentIndex: 0
    property int bottomMargin: 0
    signal selected(int index)

    width: Theme.railWidth
    color: Theme.surface

    Flickable {
        anchors { fill: parent; margins: Theme.spacing; bottomMargin: rail.bottomMargin }
        contentHeight: column.height
        clip: true
        boundsBehavior: Flickable.StopAtBounds

        Column {
            id: column
            width: parent.width
            spacing: Theme.spacing / 2

            Repeater {
                model: rail.pages
                delegate: Button {
                    required property var modelData
                    required property int index
                    objectName: "nav_" + modelData.key
                    width: column.width
                    height: Theme.touchTarget
                    text: modelData.title
                    font.pixelSize: Theme.fontBody
                    checkable: false
                    highlighted: index === rail.currentIndex
                    onClicked: rail.selected(index)
                    background: Rectangle {
                        radius: Theme.radius
                        color: parent.highlighted ? Theme.accent
                                                  : (parent.down ? Theme.border : Theme.surfaceRaised)
                    }
                    contentItem: Text {
                        text: parent.text
                        font: parent.font
                        color: Theme.text
                        verticalAlignment: Text.AlignVCenter
                        leftPadding: Theme.spacing
                    }
                }
            }
        }
    }
}
