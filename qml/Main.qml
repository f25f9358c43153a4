import QtQuick
import QtQuick.Controls
import Tautband.Models

// The console's window, sized for a 1280x800 touch panel.
ApplicationWindow {
    id: window
    required property EmergencyStop emergencyStop

    width: 1280
    height: 800
    visible: true
    title: qsTr("Tautband")
    color: Theme.background
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    Shell {
        anchors.fill: parent
        emergencyStop: window.emergencyStop
    }
}
