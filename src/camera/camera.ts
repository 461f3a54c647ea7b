// Opens the camera the user picked and turns getUserMedia's failures into words a person can act on.
import { errorText } from '../errorText';

export type Facing = 'user' | 'environment' | 'any';

export async function openCamera(facing: Facing, deviceId: string | null): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError(
      'unsupported',
      'This browser cannot use a camera here. The camera needs HTTPS (or localhost); photo mode still works.',
    );
  }
  const video: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } };
  if (deviceId) video.deviceId = { exact: deviceId };
  else if (facing !== 'any') video.facingMode = { ideal: facing };
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio: false });
  } catch (e) {
    throw toCameraError(e);
  }
}

export async function listCameras(): Promise<MediaDeviceInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput');
}

export type CameraErrorKind = 'denied' | 'missing' | 'busy' | 'unsupported' | 'other';

export class CameraError extends Error {
  constructor(
    readonly kind: CameraErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CameraError';
  }
}

function toCameraError(e: unknown): CameraError {
  const name = e instanceof DOMException ? e.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new CameraError(
        'denied',
        'Camera permission was denied. Allow the camera for this site in the browser settings, or check photos instead.',
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new CameraError('missing', 'No camera was found on this device. You can still check photos.');
    case 'NotReadableError':
    case 'AbortError':
      return new CameraError(
        'busy',
        'The camera is in use by another app or could not be started. Close the other app and retry.',
      );
    default:
      return new CameraError('other', `The camera could not be started: ${errorText(e)}`);
  }
}
