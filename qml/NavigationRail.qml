pragma ComponentBehavior: Bound
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

    // More pages than fit above the E-STOP (a manager sees ten) scroll with a flick.
    Flickable {
        objectName: "navFlick"
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
                    id: navButton
                    required property var modelData
                    required property int index
                    objectName: "nav_" + modelData.key
                    width: rail.width - 2 * Theme.spacing
                    height: Theme.touchTarget
                    text: modelData.title
                    font.pixelSize: Theme.fontBody
                    checkable: false
                    highlighted: navButton.index === rail.currentIndex
                    onClicked: rail.selected(navButton.index)
                    background: Rectangle {
                        radius: Theme.radius
                        color: navButton.highlighted ? Theme.accent
                                                     : (navButton.down ? Theme.border : Theme.surfaceRaised)
                    }
                    contentItem: Text {
                        text: navButton.text
                        font: navButton.font
                        color: Theme.text
                        verticalAlignment: Text.AlignVCenter
                        leftPadding: Theme.spacing
                    }
                }
            }
        }
    }
}
