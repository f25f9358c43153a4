import QtQuick
import QtQuick.Controls
import Tautband.Models
import Tautband.Ui

// The console's window, sized for a 1280x800 touch panel.
ApplicationWindow {
    id: window
    required property EmergencyStop emergencyStop
    // View models by name (devices, store, safety, ...), set by the
    // composition root; pages declare a property of the same name to get one.
    property var services: ({})
    property string initialPage

    width: 1280
    height: 800
    visible: true
    title: qsTr("Tautband")
    color: Theme.background
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    Shell {
        anchors.fill: parent
        Component.onCompleted: if (window.initialPage.length > 0) showPage(window.initialPage)
        emergencyStop: window.emergencyStop
        services: window.services
    }

    // The on-screen keyboard (QT_IM_MODULE=qtvirtualkeyboard, set by the
    // composition root), in the popup overlay below the E-STOP.
    KeyboardLayer {}

    // A kiosk session may have no window manager to activate the window, and
    // without an active window no text field gets input-method focus: the
    // keyboard would never come up (seen under Xvfb).
    Component.onCompleted: requestActivate()
}
