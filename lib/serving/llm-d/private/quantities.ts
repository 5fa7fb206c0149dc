export { mebibytes, sizeQuantityString as memoryQuantity } from '../../../core/private/quantities';
