import QtQuick
import QtQuick.Controls
import QtQuick.VirtualKeyboard
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
    // composition root). It lives in the popup overlay so it also serves the
    // lock screen and dialogs, right of the rail so the E-STOP stays uncovered.
    InputPanel {
        id: keyboard
        objectName: "inputPanel"
        parent: Overlay.overlay
        z: 950000
        x: Theme.railWidth
        width: window.width - Theme.railWidth
        y: keyboard.active ? window.height - height : window.height
        visible: y < window.height
        Behavior on y { NumberAnimation { duration: 150; easing.type: Easing.OutQuad } }
    }
}
