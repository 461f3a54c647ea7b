// The deployed classifier: produced only by training/export.py, never edited by hand.
export const CLASSIFIER_MODEL = 'mask_vgg16_224.int8.onnx';
export const CLASSIFIER_SIDECAR = 'mask_vgg16_224.int8.json';
export const CLASSIFIER_FILES = [CLASSIFIER_MODEL, CLASSIFIER_SIDECAR] as const;
