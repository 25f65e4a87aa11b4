import generatePayload from 'promptpay-qr';
import QRCode from 'qrcode';

/**
 * The EMVCo merchant-presented payload of a PromptPay QR paying `amount` THB to `promptpayId` (phone number,
 * tax id or e-wallet id), built by the `promptpay-qr` library (Bank of Thailand's PromptPay QR, tag 29, with
 * the amount in tag 54 and the CRC-16 in tag 63). Any Thai banking app pays it.
 */
export function promptpayPayload(promptpayId: string, amount: number): string {
  return generatePayload(promptpayId, { amount });
}

/** Renders a QR payload as a standalone SVG document (the `qrcode` library; error correction M, quiet zone 2). */
export async function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
