import QtQuick
import QtQuick.Layouts
import Tautband.Ui

// One-glance status: page, user, device links, safety state and the clock.
Rectangle {
    id: bar
    property string pageTitle
    property string devicesSummary
    property string userSummary: qsTr("not logged in")
    property string laserGlance      // the laser's state in a few words; empty without a laser service
    property string laserState       // LaserController.state: red while warning, emitting or faulted
    property date now: new Date()

    height: Theme.statusBarHeight
    color: Theme.surface

    Timer {
        interval: 1000
        running: true
        repeat: true
        onTriggered: bar.now = new Date()
    }

    RowLayout {
        anchors { fill: parent; leftMargin: Theme.spacing * 2; rightMargin: Theme.spacing * 2 }
        spacing: Theme.spacing * 2

        Text {
            text: qsTr("Tautband")
            color: Theme.accent
            font.pixelSize: Theme.fontTitle
            font.bold: true
        }
        Text {
            text: bar.pageTitle
            color: Theme.text
            font.pixelSize: Theme.fontTitle
            Layout.fillWidth: true
            elide: Text.ElideRight
        }
        StatusChip {
            objectName: "userStatus"
            label: qsTr("User")
            value: bar.userSummary
        }
        StatusChip {
            objectName: "deviceStatus"
            label: qsTr("Devices")
            value: bar.devicesSummary
        }
        Rectangle {
            id: safetyChip
            objectName: "safetyChip"
            readonly property bool alarm: bar.laserState === "emitting" || bar.laserState === "warning"
                                          || bar.laserState === "fault"
            implicitWidth: safetyStatus.implicitWidth + Theme.spacing
            implicitHeight: safetyStatus.implicitHeight + 4
            radius: 6
            color: safetyChip.alarm ? Theme.danger : (bar.laserState === "armed" ? "#6b5313" : "transparent")
            StatusChip {
                id: safetyStatus
                objectName: "safetyStatus"
                anchors.centerIn: parent
                label: qsTr("Safety")
                value: bar.laserGlance.length > 0 ? bar.laserGlance : qsTr("no emitter connected")
            }
        }
        Text {
            objectName: "clock"
            text: Qt.formatTime(bar.now, "hh:mm:ss")
            color: Theme.text
            font.pixelSize: Theme.fontTitle
            font.family: "DejaVu Sans Mono"
        }
    }

    component StatusChip: Column {
        property string label
        property string value
        Text { text: parent.label; color: Theme.textMuted; font.pixelSize: Theme.fontSmall - 2 }
        Text { text: parent.value; color: Theme.text; font.pixelSize: Theme.fontSmall }
    }
}
