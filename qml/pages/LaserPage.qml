pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Laser therapy (BRIEF §3 flow 5): parameters on the left, dose and the emission controls
// in the middle, the arming checklist on the right. The page only asks: the safety
// supervisor thread decides whether the laser arms and emits, and this page shows its state.
Rectangle {
    id: page
    objectName: "page_laser"
    property LaserController laser: null
    property BodyMapModel bodyMap: null
    property ClinicalContext clinical: null
    property AuthModel auth: null
    property ClinicSettingsModel clinicSettings: null

    readonly property string armingState: page.laser ? page.laser.state : "disarmed"
    readonly property bool locked: page.laser !== null && page.laser.parametersLocked
    readonly property bool running: page.armingState === "warning" || page.armingState === "emitting"
                                    || page.armingState === "paused"
    // What was delivered stays on screen after the dose ends or a fault stops it.
    readonly property bool showDelivered: page.running || page.armingState === "done" || page.armingState === "fault"

    color: Theme.surface
    radius: Theme.radius

    Text {
        objectName: "noLaserService"
        visible: page.laser === null
        anchors.centerIn: parent
        text: qsTr("The laser safety service is not running: nothing can be armed.")
        color: Theme.warning
        font.pixelSize: Theme.fontBody
    }

    ColumnLayout {
        visible: page.laser !== null
        anchors { fill: parent; margins: Theme.spacing }
        spacing: Theme.spacing / 2

        // Who and for whom (from the store), and the laser's power check with a way to record one.
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                objectName: "clinicalContext"
                Layout.fillWidth: true
                text: page.clinical ? qsTr("Therapist: %1   ·   Patient: %2").arg(page.clinical.practitionerText).arg(page.clinical.patientText)
                                    : qsTr("No login or patient information on this console.")
                color: Theme.text
                font.pixelSize: Theme.fontSmall - 2
                elide: Text.ElideRight
            }
            Text {
                objectName: "powerCheckText"
                Layout.maximumWidth: 520
                text: page.clinical ? page.clinical.powerCheckText : ""
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall - 3
                elide: Text.ElideRight
            }
            TouchButton {
                objectName: "recordPowerCheck"
                visible: page.clinical !== null
                enabled: page.clinical !== null && page.clinical.powerCheckPossible && !page.locked
                text: qsTr("Power check…")
                font.pixelSize: Theme.fontSmall - 2
                onClicked: powerCheck.open()
            }
        }

        // What the page does not know, said plainly.
        Text {
            objectName: "missingInputs"
            Layout.fillWidth: true
            visible: page.laser !== null && page.laser.missingInputs.length > 0
            text: {
                if (!page.laser)
                    return ""
                const parts = []
                for (let i = 0; i < page.laser.missingInputs.length; ++i)
                    parts.push(page.laser.missingInputs[i])
                return qsTr("Cannot arm yet: ") + parts.join(" ")
            }
            color: Theme.warning
            font.pixelSize: Theme.fontSmall - 2
            wrapMode: Text.WordWrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing

            // ---------------- site: the shared body map ----------------
            ColumnLayout {
                Layout.preferredWidth: 230
                Layout.maximumWidth: 230
                Layout.fillHeight: true
                spacing: Theme.spacing / 2

                RowLayout {
                    Layout.fillWidth: true
                    spacing: 4
                    TouchButton {
                        objectName: "viewFront"
                        Layout.fillWidth: true
                        text: qsTr("Front")
                        font.pixelSize: Theme.fontSmall
                        tint: siteMap.view === "front" ? Theme.accent : Theme.surfaceRaised
                        onClicked: siteMap.view = "front"
                    }
                    TouchButton {
                        objectName: "viewBack"
                        Layout.fillWidth: true
                        text: qsTr("Back")
                        font.pixelSize: Theme.fontSmall
                        tint: siteMap.view === "back" ? Theme.accent : Theme.surfaceRaised
                        onClicked: siteMap.view = "back"
                    }
                }
                BodyMap {
                    id: siteMap
                    objectName: "siteMap"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    bodyMap: page.bodyMap
                    enabled: !page.locked
                    selectedRegion: page.laser ? page.laser.siteId : ""
                    markerX: page.laser && page.laser.siteView === siteMap.view ? page.laser.siteX : -1
                    markerY: page.laser && page.laser.siteView === siteMap.view ? page.laser.siteY : -1
                    onTapped: (tappedView, tapX, tapY) => page.laser.selectPoint(tappedView, tapX, tapY)
                }
                Text {
                    objectName: "siteName"
                    Layout.fillWidth: true
                    text: page.laser ? qsTr("Site: %1").arg(page.laser.siteName) : ""
                    color: page.laser && page.laser.siteId === "" ? Theme.warning : Theme.text
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                    wrapMode: Text.WordWrap
                }
                PresetPicker { objectName: "presetPicker"; Layout.fillWidth: true; laser: page.laser; clinicSettings: page.clinicSettings }
            }

            // ---------------- parameters ----------------
            ColumnLayout {
                Layout.preferredWidth: 330
                Layout.maximumWidth: 330
                Layout.fillHeight: true
                spacing: Theme.spacing / 2

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing / 2
                    TouchButton {
                        objectName: "wavelength808"
                        text: qsTr("808 nm CW")
                        Layout.fillWidth: true
                        enabled: !page.locked
                        tint: page.laser && page.laser.wavelengthNm === 808 ? Theme.accent : Theme.surfaceRaised
                        onClicked: page.laser.wavelengthNm = 808
                    }
                    TouchButton {
                        objectName: "wavelength905"
                        text: qsTr("905 nm pulsed")
                        Layout.fillWidth: true
                        enabled: !page.locked
                        tint: page.laser && page.laser.wavelengthNm === 905 ? Theme.accent : Theme.surfaceRaised
                        onClicked: page.laser.wavelengthNm = 905
                    }
                }

                ParameterStepper {
                    objectName: "power"
                    Layout.fillWidth: true
                    label: page.laser && page.laser.pulsed ? qsTr("Peak power") : qsTr("Power")
                    unit: "mW"
                    value: page.laser ? page.laser.powerMw : 0
                    step: 10
                    to: page.laser && page.laser.maxPowerMw > 0 ? page.laser.maxPowerMw : 1000
                    locked: page.locked
                    onEdited: v => page.laser.powerMw = v
                }
                ParameterStepper {
                    objectName: "frequency"
                    visible: page.laser !== null && page.laser.pulsed
                    Layout.fillWidth: true
                    label: qsTr("Frequency")
                    unit: "Hz"
                    value: page.laser ? page.laser.frequencyHz : 0
                    step: 100
                    from: 1
                    to: 10000
                    locked: page.locked
                    onEdited: v => page.laser.frequencyHz = v
                }
                ParameterStepper {
                    objectName: "duty"
                    visible: page.laser !== null && page.laser.pulsed
                    Layout.fillWidth: true
                    label: qsTr("Duty")
                    unit: "%"
                    value: page.laser ? page.laser.dutyPercent : 0
                    step: 0.1
                    decimals: 1
                    from: 0.1
                    to: 100
                    locked: page.locked
                    onEdited: v => page.laser.dutyPercent = v
                }
                ParameterStepper {
                    objectName: "spot"
                    Layout.fillWidth: true
                    label: qsTr("Spot area")
                    unit: "cm²"
                    value: page.laser ? page.laser.spotAreaCm2 : 0
                    step: 0.05
                    decimals: 2
                    from: 0.01
                    to: 5
                    locked: page.locked
                    onEdited: v => page.laser.spotAreaCm2 = v
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing / 2
                    TouchButton {
                        objectName: "targetEnergy"
                        text: qsTr("Energy per point")
                        Layout.fillWidth: true
                        enabled: !page.locked
                        tint: page.laser && page.laser.targetIsEnergy ? Theme.accent : Theme.surfaceRaised
                        onClicked: page.laser.targetIsEnergy = true
                    }
                    TouchButton {
                        objectName: "targetTime"
                        text: qsTr("Time")
                        Layout.fillWidth: true
                        enabled: !page.locked
                        tint: page.laser && !page.laser.targetIsEnergy ? Theme.accent : Theme.surfaceRaised
                        onClicked: page.laser.targetIsEnergy = false
                    }
                }
                ParameterStepper {
                    objectName: "target"
                    Layout.fillWidth: true
                    label: page.laser && page.laser.targetIsEnergy ? qsTr("Target energy") : qsTr("Target time")
                    unit: page.laser && page.laser.targetIsEnergy ? "J" : "s"
                    value: page.laser ? (page.laser.targetIsEnergy ? page.laser.targetEnergyJ : page.laser.targetTimeS) : 0
                    step: page.laser && page.laser.targetIsEnergy ? 0.5 : 5
                    decimals: page.laser && page.laser.targetIsEnergy ? 1 : 0
                    to: page.laser && page.laser.targetIsEnergy ? 50 : 300
                    locked: page.locked
                    onEdited: v => {
                        if (page.laser.targetIsEnergy)
                            page.laser.targetEnergyJ = v
                        else
                            page.laser.targetTimeS = v
                    }
                }

                // Rules that ask for a person: ACK (the therapist, with a reason) and
                // SUPERVISOR (a second authorised person, through SupervisorDialog).
                ListView {
                    id: asks
                    objectName: "acknowledgements"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: 4
                    model: {
                        const list = []
                        if (!page.laser)
                            return list
                        for (let i = 0; i < page.laser.refusals.length; ++i) {
                            const r = page.laser.refusals[i]
                            if ((r.level === "ACK" && !r.acknowledged) || r.level === "SUPERVISOR")
                                list.push(r)
                        }
                        return list
                    }
                    delegate: Rectangle {
                        id: ask
                        required property var modelData
                        objectName: "ack_" + ask.modelData.ruleId
                        width: ListView.view.width
                        height: askColumn.implicitHeight + 10
                        radius: 6
                        color: "#3a3114"
                        border.color: Theme.warning
                        Column {
                            id: askColumn
                            anchors { left: parent.left; right: parent.right; top: parent.top; margins: 5 }
                            spacing: 4
                            Text {
                                width: parent.width
                                text: ask.modelData.ruleId + " (" + ask.modelData.level + "): " + ask.modelData.message
                                color: Theme.text
                                font.pixelSize: Theme.fontSmall - 3
                                wrapMode: Text.WordWrap
                            }
                            Text {
                                objectName: "supervisorState"
                                visible: ask.modelData.level === "SUPERVISOR"
                                width: parent.width
                                text: ask.modelData.approved
                                      ? qsTr("Approved by %1 for this dose at this site in this session: %2")
                                        .arg(ask.modelData.approvedBy).arg(ask.modelData.approvalReason)
                                      : qsTr("Needs a second authorised person (not you) for this dose at this site, in this session. Any change of site or dose needs a new approval.")
                                color: ask.modelData.approved ? Theme.ok : Theme.warning
                                font.pixelSize: Theme.fontSmall - 3
                                wrapMode: Text.WordWrap
                            }
                            TouchButton {
                                objectName: "askSupervisor"
                                visible: ask.modelData.level === "SUPERVISOR" && !ask.modelData.approved
                                text: qsTr("Ask a supervisor")
                                enabled: !page.locked && page.auth !== null
                                font.pixelSize: Theme.fontSmall
                                onClicked: page.askSupervisor(ask.modelData.ruleId)
                            }
                            Row {
                                visible: ask.modelData.level === "ACK"
                                spacing: 4
                                TextField {
                                    id: reason
                                    objectName: "ackReason"
                                    width: askColumn.width - ackButton.width - 4
                                    height: Theme.touchTarget
                                    font.pixelSize: Theme.fontSmall
                                    placeholderText: qsTr("Reason")
                                    enabled: !page.locked
                                }
                                TouchButton {
                                    id: ackButton
                                    objectName: "ackButton"
                                    text: qsTr("Acknowledge")
                                    enabled: !page.locked && reason.text.trim().length > 0
                                    font.pixelSize: Theme.fontSmall
                                    onClicked: page.laser.acknowledge(ask.modelData.ruleId, reason.text)
                                }
                            }
                        }
                    }
                }
            }

            // ---------------- dose and emission ----------------
            ColumnLayout {
                Layout.preferredWidth: 290
                Layout.maximumWidth: 290
                Layout.fillHeight: true
                spacing: Theme.spacing / 2

                GridLayout {
                    objectName: "doseReadout"
                    Layout.fillWidth: true
                    columns: 2
                    columnSpacing: Theme.spacing
                    rowSpacing: 0
                    DoseLabel { text: qsTr("Energy") }
                    DoseValue {
                        objectName: "doseEnergy"
                        text: page.showDelivered
                              ? page.laser.deliveredJ.toFixed(2) + " / " + (page.laser.targetIsEnergy ? page.laser.targetEnergyJ.toFixed(1) : page.laser.plannedEnergyJ.toFixed(1)) + " J"
                              : (page.laser ? page.laser.plannedEnergyJ.toFixed(2) + " J" : "")
                    }
                    DoseLabel { text: qsTr("Fluence") }
                    DoseValue {
                        objectName: "doseFluence"
                        text: page.laser ? (page.showDelivered ? page.laser.deliveredJPerCm2 : page.laser.plannedFluenceJPerCm2).toFixed(2) + " J/cm²" : ""
                    }
                    DoseLabel { text: qsTr("Irradiance") }
                    DoseValue {
                        objectName: "doseIrradiance"
                        text: page.laser ? (page.running ? page.laser.liveIrradianceMwPerCm2 : page.laser.plannedIrradianceMwPerCm2).toFixed(0) + " mW/cm²" : ""
                    }
                    DoseLabel { text: qsTr("Time left") }
                    DoseValue {
                        objectName: "doseTimeLeft"
                        text: page.laser ? page.laser.timeLeftS.toFixed(1) + " s" : ""
                    }
                    DoseLabel { text: page.running ? qsTr("Measured") : qsTr("Mean power") }
                    DoseValue {
                        objectName: "dosePower"
                        text: page.laser ? (page.running ? page.laser.measuredPowerMw : page.laser.plannedMeanPowerMw).toFixed(0) + " mW" : ""
                    }
                }
                Text {
                    Layout.fillWidth: true
                    text: page.running ? qsTr("Live figures from the power the laser measures.")
                          : page.laser && page.laser.plannedFromMeasurement ? qsTr("Planned from the last power check.")
                          : qsTr("Planned from the set power: no power check recorded.")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall - 3
                    wrapMode: Text.WordWrap
                }

                EmissionIndicator {
                    objectName: "emissionIndicator"
                    Layout.fillWidth: true
                    armingState: page.armingState
                    text: page.laser ? page.laser.stateText : ""
                    warningRemaining: page.laser ? page.laser.warningRemainingS : 0
                    detail: page.armingState === "fault" && page.laser
                            ? qsTr("Emission stopped: %1").arg(page.laser.faultText) : ""
                }
                Text {
                    // The warning's length; a manager's change waits for the arming under way.
                    objectName: "warningDelay"
                    Layout.fillWidth: true
                    visible: page.laser !== null
                    text: page.laser ? page.laser.warningDelayText : ""
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall - 3
                    wrapMode: Text.WordWrap
                }
                Text {
                    objectName: "noAudio"
                    Layout.fillWidth: true
                    visible: page.laser !== null && !page.laser.audioAvailable
                    text: qsTr("No sound output: the warning before emission is the flashing countdown only.")
                    color: Theme.warning
                    font.pixelSize: Theme.fontSmall - 3
                    wrapMode: Text.WordWrap
                }

                // Controls for the state the supervisor reports.
                TouchButton {
                    objectName: "openChecklist"
                    visible: page.armingState === "disarmed" || page.armingState === "done"
                    Layout.fillWidth: true
                    text: page.armingState === "done" ? qsTr("New dose: open the checklist") : qsTr("Open the arming checklist")
                    onClicked: page.laser.beginChecklist()
                }
                SlideToArm {
                    id: slide
                    objectName: "slideToArm"
                    visible: page.armingState === "checklist"
                    Layout.fillWidth: true
                    onCompleted: page.laser.arm()
                }
                HoldToEmitButton {
                    objectName: "holdToEmit"
                    visible: page.armingState === "armed" || page.running
                    Layout.fillWidth: true
                    active: page.armingState === "warning" || page.armingState === "emitting"
                    onHeld: page.laser.holdPressed()
                    onReleased: page.laser.holdReleased()
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing / 2
                    visible: page.armingState === "armed" || page.running
                    TouchButton {
                        objectName: "timedEmission"
                        Layout.fillWidth: true
                        text: page.armingState === "paused" ? qsTr("Resume") : qsTr("Timed dose")
                        enabled: page.armingState === "armed" || page.armingState === "paused"
                        onClicked: page.laser.startEmission()
                    }
                    TouchButton {
                        objectName: "stopEmission"
                        Layout.fillWidth: true
                        text: page.running ? qsTr("Stop") : qsTr("Disarm")
                        onClicked: page.running ? page.laser.stop() : page.laser.disarm()
                    }
                }
                TouchButton {
                    objectName: "cancelChecklist"
                    visible: page.armingState === "checklist"
                    Layout.fillWidth: true
                    text: qsTr("Cancel")
                    onClicked: page.laser.disarm()
                }
                TouchButton {
                    objectName: "resetFault"
                    visible: page.armingState === "fault"
                    Layout.fillWidth: true
                    text: qsTr("Reset fault")
                    onClicked: page.laser.resetFault()
                }
                Text {
                    objectName: "laserMessage"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    text: page.laser ? page.laser.message : ""
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall - 2
                    wrapMode: Text.WordWrap
                    elide: Text.ElideRight
                    verticalAlignment: Text.AlignTop
                }
            }

            // ---------------- checklist ----------------
            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: Theme.spacing / 2

                Text {
                    text: qsTr("Arming checklist")
                    color: Theme.text
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                }
                Text {
                    objectName: "eyewearText"
                    Layout.fillWidth: true
                    text: page.laser ? page.laser.eyewearText : ""
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall - 3
                    wrapMode: Text.WordWrap
                }
                ParameterStepper {
                    objectName: "eyewearOd"
                    Layout.fillWidth: true
                    label: page.laser && page.laser.requiredOdKnown
                           ? qsTr("Eyewear OD (need ≥ %1)").arg(page.laser.requiredOd) : qsTr("Eyewear OD")
                    unit: ""
                    value: page.laser ? page.laser.eyewearOd : 0
                    step: 0.5
                    decimals: 1
                    to: 10
                    locked: page.locked
                    onEdited: v => page.laser.eyewearOd = v
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacing / 2
                    TouchButton {
                        objectName: "confirmEyewear"
                        Layout.fillWidth: true
                        text: page.laser && page.laser.eyewearConfirmed ? qsTr("✓ Eyewear on all") : qsTr("Eyewear on all?")
                        tint: page.laser && page.laser.eyewearConfirmed ? "#1f5a3a" : Theme.surfaceRaised
                        onClicked: page.laser.eyewearConfirmed = !page.laser.eyewearConfirmed
                    }
                    TouchButton {
                        objectName: "confirmArea"
                        Layout.fillWidth: true
                        text: page.laser && page.laser.controlledAreaConfirmed ? qsTr("✓ Door, sign") : qsTr("Door, sign?")
                        tint: page.laser && page.laser.controlledAreaConfirmed ? "#1f5a3a" : Theme.surfaceRaised
                        onClicked: page.laser.controlledAreaConfirmed = !page.laser.controlledAreaConfirmed
                    }
                }
                LaserChecklist {
                    objectName: "checklist"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    items: page.laser ? page.laser.checklist : []
                }
            }
        }
    }

    // SUPERVISOR rules: the view model says what the approval is for (its context goes to the
    // store's supervisor.approved entry); once the store has re-authenticated the second
    // person, the view model applies it through AuditedSafety and evaluates again.
    function askSupervisor(ruleId: string) {
        const request = page.laser.supervisorRequest(ruleId)
        if (!request.available)
            return
        supervisorDialog.ruleId = ruleId
        supervisorDialog.ruleText = request.ruleText
        supervisorDialog.context = request.context
        supervisorDialog.scope = request.scope
        supervisorDialog.open()
    }
    SupervisorDialog {
        id: supervisorDialog
        property string scope
        auth: page.auth
        onApproved: (login, sequence, reason) => page.laser.applySupervisorApproval(supervisorDialog.ruleId, login, reason,
                                                                                    sequence, supervisorDialog.scope)
        onRefused: message => page.laser.supervisorRefused(supervisorDialog.ruleId, message)
    }

    // Power check (21 CFR 1040.11(a)): the therapist measures the output with a power meter at
    // the set power and records both; the store audits it and the checklist reads it back.
    Popup {
        id: powerCheck
        objectName: "powerCheckPopup"
        width: 520
        // Centred; while the on-screen keyboard is up (the meter field has focus), at the top,
        // so the keys never cover the field or the Record button.
        x: Math.round(((parent ? parent.width : 1000) - width) / 2)
        y: KeyboardState.visible ? Theme.spacing : Math.round(((parent ? parent.height : 700) - height) / 2)
        modal: true
        padding: Theme.spacing
        property real setMw: 100
        property real measuredMw: 100
        onAboutToShow: {
            powerCheck.setMw = page.laser ? page.laser.powerMw : 100
            powerCheck.measuredMw = powerCheck.setMw
        }
        background: Rectangle { color: Theme.surfaceRaised; radius: Theme.radius; border.color: Theme.border }
        contentItem: ColumnLayout {
            spacing: Theme.spacing / 2
            Text {
                Layout.fillWidth: true
                text: qsTr("Power check at %1 nm: aim the probe at the meter, emit at the set power, enter what the meter reads.")
                      .arg(page.laser ? page.laser.wavelengthNm : 0)
                color: Theme.text
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
            }
            ParameterStepper {
                objectName: "powerCheckSet"
                Layout.fillWidth: true
                label: qsTr("Set power")
                unit: "mW"
                value: powerCheck.setMw
                step: 10
                to: 5000
                onEdited: v => powerCheck.setMw = v
            }
            ParameterStepper {
                objectName: "powerCheckMeasured"
                Layout.fillWidth: true
                label: qsTr("Meter reads")
                unit: "mW"
                value: powerCheck.measuredMw
                step: 1
                to: 5000
                onEdited: v => powerCheck.measuredMw = v
            }
            TextField {
                id: meterName
                objectName: "powerCheckMeter"
                Layout.fillWidth: true
                implicitHeight: Theme.touchTarget
                font.pixelSize: Theme.fontSmall
                placeholderText: qsTr("Power meter (model, serial)")
            }
            Text {
                Layout.fillWidth: true
                readonly property real deviation: powerCheck.setMw > 0 ? (powerCheck.measuredMw - powerCheck.setMw) / powerCheck.setMw * 100 : 0
                text: qsTr("Deviation %1 % — %2").arg(deviation.toFixed(1))
                      .arg(Math.abs(deviation) <= 20 ? qsTr("within ±20 %") : qsTr("OUT OF TOLERANCE: the laser will not arm"))
                color: Math.abs(deviation) <= 20 ? Theme.text : Theme.warning
                font.pixelSize: Theme.fontSmall
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing / 2
                TouchButton {
                    objectName: "powerCheckSave"
                    Layout.fillWidth: true
                    text: qsTr("Record")
                    enabled: meterName.text.trim().length > 0
                    onClicked: {
                        page.clinical.recordPowerCheck(powerCheck.measuredMw, powerCheck.setMw, meterName.text.trim())
                        powerCheck.close()
                    }
                }
                TouchButton {
                    objectName: "powerCheckCancel"
                    Layout.fillWidth: true
                    text: qsTr("Cancel")
                    onClicked: powerCheck.close()
                }
            }
        }
    }

    component DoseLabel: Text {
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
    }
    component DoseValue: Text {
        color: Theme.text
        font.pixelSize: Theme.fontBody
        font.bold: true
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignRight
    }
}
