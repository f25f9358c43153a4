import QtQuick
import Tautband.Ui

// The large emission indicator, driven only by the supervisor's state: grey when safe,
// amber when armed, flashing amber during the pre-emission warning with its countdown,
// solid red with a pulse while emitting, and red outline on a fault.
Rectangle {
    id: indicator
    property string armingState: "disarmed"
    property string text
    property real warningRemaining: 0
    property string detail   // e.g. the fault's reason, in words

    readonly property bool emitting: indicator.armingState === "emitting"
    readonly property bool warning: indicator.armingState === "warning"
    readonly property color fill: indicator.emitting ? Theme.danger
                                 : indicator.warning ? Theme.warning
                                 : indicator.armingState === "armed" ? "#6b5313"
                                 : indicator.armingState === "fault" ? "#3a1214"
                                 : Theme.surfaceRaised

    implicitHeight: 120
    radius: Theme.radius
    color: indicator.fill
    border.color: indicator.armingState === "fault" ? Theme.danger : (indicator.emitting ? "#ffffff" : Theme.border)
    border.width: indicator.armingState === "fault" || indicator.emitting ? 4 : 1

    SequentialAnimation on opacity {
        running: indicator.warning || indicator.emitting
        loops: Animation.Infinite
        NumberAnimation { from: 1.0; to: indicator.emitting ? 0.75 : 0.35; duration: indicator.emitting ? 600 : 250 }
        NumberAnimation { to: 1.0; duration: indicator.emitting ? 600 : 250 }
        onRunningChanged: if (!running) indicator.opacity = 1.0
    }

    Column {
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 8 }
        spacing: 2
        Text {
            objectName: "emissionIndicatorText"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            fontSizeMode: Text.HorizontalFit
            minimumPixelSize: Theme.fontBody
            text: indicator.emitting ? qsTr("LASER EMITTING")
                 : indicator.warning ? qsTr("EMISSION IN %1 s").arg(Math.max(0, indicator.warningRemaining).toFixed(1))
                 : indicator.text
            color: indicator.warning ? "#1b1b1b" : Theme.text
            font.pixelSize: Theme.fontHuge
            font.bold: true
        }
        Text {
            objectName: "faultReason"
            visible: indicator.detail.length > 0
            width: parent.width
            text: indicator.detail
            horizontalAlignment: Text.AlignHCenter
            color: Theme.text
            font.pixelSize: Theme.fontSmall
            font.bold: true
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
    }
}
